package dev.tern.smtp.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SMTP reply: a three-digit code (RFC 5321 §4.2), an enhanced status code (RFC 3463, RFC 2034) and text,
 * possibly over several lines, and whether the server closes the connection after sending it.
 *
 * @param code     the basic reply code, 200..599
 * @param enhanced the enhanced status code ({@code 2.1.0}), or null where none is sent (greeting, EHLO)
 * @param lines    the text, one entry per reply line, never empty
 * @param close    whether the connection ends after this reply
 */
public record Reply(int code, String enhanced, List<String> lines, boolean close) {

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
    }

    public static Reply of(int code, String enhanced, String text) {
        return new Reply(code, enhanced, List.of(text), false);
    }

    /** A reply after which the server closes the connection (221, 421). */
    public static Reply closing(int code, String enhanced, String text) {
        return new Reply(code, enhanced, List.of(text), true);
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The same reply without an enhanced status code (a 334 challenge carries only Base64, RFC 4954 §4). */
    public Reply withoutEnhancedCode() {
        return new Reply(code, null, lines, close);
    }

    public Reply closingConnection() {
        return new Reply(code, enhanced, lines, true);
    }

    /** The first line's text, for the mail log. */
    public String summary() {
        return code + (enhanced == null ? "" : " " + enhanced) + " " + lines.get(0);
    }

    /** Wire form: {@code 250-first}, ..., {@code 250 last}, each CRLF-terminated (RFC 5321 §4.2.1). */
    public byte[] toBytes() {
        StringBuilder out = new StringBuilder(64 * lines.size());
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (enhanced != null) {
                out.append(enhanced).append(' ');
            }
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return summary();
    }
}
