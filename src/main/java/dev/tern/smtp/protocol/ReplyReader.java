package dev.tern.smtp.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a server's replies (RFC 5321 §4.2): {@code ddd-text} continuation lines, then {@code ddd text}; the
 * one reader of the SMTP client (the courier) and of the load generator. Liberal in what it takes from the
 * peer (a bare LF ends a line, text may be UTF-8), but bounded: a reply line over {@value #MAX_LINE} octets or
 * a reply of more than {@value #MAX_LINES} lines is a protocol error, so a hostile server cannot make us hold
 * unbounded memory.
 *
 * <p>It reads ahead into its own buffer (no stream lock per octet), so it must be the only reader of its
 * stream. After STARTTLS the caller makes a new reader over the TLS stream, which also drops anything the
 * server sent after its 220 in plaintext (RFC 3207 §6).
 */
public final class ReplyReader {

    /** Longest reply line, in octets before the LF (RFC 5321 §4.5.3.1.5 allows 512; servers send more). */
    public static final int MAX_LINE = 4096;
    /** Most lines in one reply (a long EHLO list has a few dozen). */
    public static final int MAX_LINES = 200;

    private static final int BUFFER = 8192;

    /** An enhanced status code at the start of the text (RFC 2034 §4, RFC 3463 §2), as a pattern. */
    static final String ENHANCED_PATTERN = "([245])\\.(\\d{1,3})\\.(\\d{1,3})(?: |$)";

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER];
    private int pos;
    private int end;
    /** The start of a line that did not end within {@link #buffer}; grown up to {@link #MAX_LINE} + 1. */
    private byte[] partial = new byte[256];

    public ReplyReader(InputStream in) {
        this.in = in;
    }

    /** The next complete reply; the enhanced code is taken off each line's text when it is there. */
    public Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        String enhanced = null;
        while (true) {
            String line = line();
            if (line.length() < 3 || !isCode(line)
                    || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new SmtpProtocolException("malformed reply line: " + printable(line));
            }
            int lineCode = code(line);
            if (code >= 0 && lineCode != code) {
                throw new SmtpProtocolException("reply code changed within a reply: " + printable(line));
            }
            if (lineCode < 200 || lineCode > 599) {
                throw new SmtpProtocolException("unexpected reply code: " + printable(line));
            }
            code = lineCode;
            String text = line.length() > 4 ? line.substring(4) : "";
            // RFC 3463 §2: the enhanced code's class is the reply's.
            if (!text.isEmpty() && text.charAt(0) == line.charAt(0)) {
                int digitsEnd = enhancedCodeEnd(text);
                if (digitsEnd > 0) {
                    enhanced = enhanced == null ? text.substring(0, digitsEnd) : enhanced;
                    text = text.substring(digitsEnd < text.length() && text.charAt(digitsEnd) == ' '
                            ? digitsEnd + 1 : digitsEnd);
                }
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

    /** Three digits, as {@link Character#isDigit(char)} has it (the reader has always taken any script's digits). */
    private static boolean isCode(String line) {
        return Character.isDigit(line.charAt(0)) && Character.isDigit(line.charAt(1))
                && Character.isDigit(line.charAt(2));
    }

    /** The code's value: plain arithmetic for ASCII digits, {@link Integer#parseInt} for any other digits. */
    private static int code(String line) {
        char a = line.charAt(0);
        char b = line.charAt(1);
        char c = line.charAt(2);
        if (a <= '9' && b <= '9' && c <= '9') {
            return (a - '0') * 100 + (b - '0') * 10 + (c - '0');
        }
        return Integer.parseInt(line.substring(0, 3));
    }

    /**
     * Where the digits of an enhanced status code at the start of {@code text} end (RFC 3463 §2, RFC 2034 §4:
     * {@code class "." subject "." detail}, class 2, 4 or 5, subject and detail of one to three digits),
     * followed by a space or by the end of the text; -1 when the text does not start with one. The same
     * strings as the pattern {@value #ENHANCED_PATTERN}, whose {@code $} also takes one final line terminator
     * (a CR left by {@code CR CR LF}); written out because it runs on nearly every reply line.
     */
    static int enhancedCodeEnd(String text) {
        if (text.isEmpty() || "245".indexOf(text.charAt(0)) < 0) {
            return -1;
        }
        int at = digitsAfterDot(text, 1);
        if (at < 0) {
            return -1;
        }
        at = digitsAfterDot(text, at);
        if (at < 0) {
            return -1;
        }
        if (at == text.length() || text.charAt(at) == ' ') {
            return at;
        }
        return at == text.length() - 1 && isLineTerminator(text.charAt(at)) ? at : -1;
    }

    /** After a dot at {@code at}: the end of a run of one to three ASCII digits, or -1. */
    private static int digitsAfterDot(String text, int at) {
        if (at >= text.length() || text.charAt(at) != '.') {
            return -1;
        }
        int i = at + 1;
        while (i < text.length() && i - at <= 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        int digits = i - at - 1;
        boolean moreDigits = i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9';
        return digits == 0 || moreDigits ? -1 : i;
    }

    /** The characters besides LF that end a line for {@link java.util.regex.Pattern}'s {@code $}. */
    private static boolean isLineTerminator(char c) {
        return c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /** One line without its LF (and the CR before it), decoded as UTF-8 (US-ASCII is a subset). */
    private String line() throws IOException {
        int held = 0;
        while (true) {
            if (pos == end) {
                fill();
            }
            int lf = indexOfLf();
            int upTo = lf < 0 ? end : lf;
            int length = upTo - pos;
            if (held + length > MAX_LINE) {
                throw new SmtpProtocolException("reply line longer than " + MAX_LINE + " octets");
            }
            if (lf >= 0 && held == 0) {
                String s = decode(buffer, pos, length);
                pos = lf + 1;
                return s;
            }
            if (partial.length < held + length) {
                partial = Arrays.copyOf(partial, Math.max(held + length, Math.min(2 * partial.length, MAX_LINE)));
            }
            System.arraycopy(buffer, pos, partial, held, length);
            held += length;
            pos = upTo;
            if (lf >= 0) {
                pos = lf + 1;
                return decode(partial, 0, held);
            }
        }
    }

    private int indexOfLf() {
        for (int i = pos; i < end; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            throw new EOFException("connection closed by the server");
        }
        pos = 0;
        end = n;
    }

    private static String decode(byte[] bytes, int from, int length) {
        int len = length > 0 && bytes[from + length - 1] == '\r' ? length - 1 : length;
        return new String(bytes, from, len, StandardCharsets.UTF_8);
    }

    /** For messages and logs: controls never reach a log line as they are. */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            out.append(c < ' ' || c == 127 ? '?' : c);
        }
        return out.toString();
    }
}
