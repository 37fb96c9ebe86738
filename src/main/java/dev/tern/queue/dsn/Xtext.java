package dev.tern.queue.dsn;

/**
 * RFC 3461 §4 xtext: {@code +XX} (two upper-case hex digits) stands for a byte that is not plain printable
 * ASCII. ENVID and ORCPT travel in SMTP as xtext; an ORCPT address goes into the report decoded (§6.3).
 */
final class Xtext {

    private Xtext() {
    }

    /** Decodes {@code +XX} escapes; a malformed escape is kept as it is (the report must still go out). */
    static String decode(String xtext) {
        StringBuilder out = new StringBuilder(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+' && i + 2 < xtext.length() && hex(xtext.charAt(i + 1)) >= 0 && hex(xtext.charAt(i + 2)) >= 0) {
                out.append((char) (hex(xtext.charAt(i + 1)) * 16 + hex(xtext.charAt(i + 2))));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
