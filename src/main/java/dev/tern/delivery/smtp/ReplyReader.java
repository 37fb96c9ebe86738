package dev.tern.delivery.smtp;

import dev.tern.smtp.protocol.Reply;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server's replies (RFC 5321 §4.2): {@code ddd-text} continuation lines, then {@code ddd text}.
 * Liberal in what it takes from the peer (a bare LF ends a line, text may be UTF-8), but bounded: a reply
 * line over {@value #MAX_LINE} octets or a reply of more than {@value #MAX_LINES} lines is a protocol error,
 * so a hostile server cannot make us hold unbounded memory.
 */
final class ReplyReader {

    static final int MAX_LINE = 4096;
    static final int MAX_LINES = 200;

    /** An enhanced status code at the start of the text (RFC 2034 §4, RFC 3463 §2). */
    private static final Pattern ENHANCED = Pattern.compile("([245])\\.(\\d{1,3})\\.(\\d{1,3})(?: |$)");

    private final InputStream in;

    ReplyReader(InputStream in) {
        this.in = in;
    }

    /** The next complete reply; the enhanced code is taken off each line's text when it is there. */
    Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        String enhanced = null;
        while (true) {
            String line = line();
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)
                    || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new SmtpProtocolException("malformed reply line: " + printable(line));
            }
            int lineCode = Integer.parseInt(line.substring(0, 3));
            if (code >= 0 && lineCode != code) {
                throw new SmtpProtocolException("reply code changed within a reply: " + printable(line));
            }
            if (lineCode < 200 || lineCode > 599) {
                throw new SmtpProtocolException("unexpected reply code: " + printable(line));
            }
            code = lineCode;
            String text = line.length() > 4 ? line.substring(4) : "";
            Matcher m = ENHANCED.matcher(text);
            if (m.lookingAt() && m.group(1).charAt(0) == line.charAt(0)) {
                enhanced = enhanced == null ? m.group(1) + "." + m.group(2) + "." + m.group(3) : enhanced;
                text = text.substring(m.end());
            }
            lines.add(text);
            if (lines.size() > MAX_LINES) {
                throw new SmtpProtocolException("reply of more than " + MAX_LINES + " lines");
            }
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(code, enhanced, lines, code == 421);
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') {
                byte[] bytes = buf.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.UTF_8);
            }
            if (buf.size() >= MAX_LINE) {
                throw new SmtpProtocolException("reply line longer than " + MAX_LINE + " octets");
            }
            buf.write(b);
        }
    }

    /** For messages and logs: controls never reach a log line as they are. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            out.append(c < ' ' || c == 127 ? '?' : c);
        }
        return out.toString();
    }
}
