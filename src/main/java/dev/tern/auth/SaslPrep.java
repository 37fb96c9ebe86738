package dev.tern.auth;

import java.text.Normalizer;

/**
 * SASLprep (RFC 4013), the stringprep profile SCRAM applies to passwords (RFC 5802 §2.2) before hashing, so
 * the server derives the same keys as a client that prepares what its user typed. For ASCII it changes
 * nothing but refuses control characters.
 *
 * <p>Unicode versions: stringprep is defined on Unicode 3.2; this uses the JDK's tables, so a code point
 * assigned since then is accepted where a strict implementation would refuse it as unassigned. That only
 * matters for passwords using characters newer than 2002.
 */
final class SaslPrep {

    private SaslPrep() {
    }

    /**
     * The prepared form of a stored string.
     *
     * @throws IllegalArgumentException when it holds a character RFC 4013 §2.3 prohibits, an unassigned
     *                                  code point, or breaks the bidirectional rule (RFC 3454 §6)
     */
    static String prepare(String text) {
        StringBuilder mapped = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (mappedToNothing(c)) {
                return; // RFC 4013 §2.1, table B.1
            }
            mapped.appendCodePoint(nonAsciiSpace(c) ? ' ' : c); // table C.1.2 maps to SPACE
        });
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC); // §2.2
        boolean randAl = false;
        boolean l = false;
        for (int i = 0; i < normalized.length(); ) {
            int c = normalized.codePointAt(i);
            if (prohibited(c) || Character.getType(c) == Character.UNASSIGNED) {
                throw new IllegalArgumentException(String.format("character U+%04X is not allowed by SASLprep", c));
            }
            byte direction = Character.getDirectionality(c);
            randAl |= direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                    || direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
            l |= direction == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
            i += Character.charCount(c);
        }
        if (randAl && (l || !rightToLeft(normalized.codePointAt(0))
                || !rightToLeft(normalized.codePointBefore(normalized.length())))) {
            throw new IllegalArgumentException("mixed right-to-left and left-to-right text is not allowed by SASLprep");
        }
        return normalized;
    }

    private static boolean rightToLeft(int c) {
        byte d = Character.getDirectionality(c);
        return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** RFC 3454 table B.1: commonly mapped to nothing. */
    private static boolean mappedToNothing(int c) {
        return c == 0x00AD || c == 0x034F || c == 0x1806 || (c >= 0x180B && c <= 0x180D)
                || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF;
    }

    /** RFC 3454 table C.1.2: non-ASCII space characters. */
    private static boolean nonAsciiSpace(int c) {
        return c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }

    /** RFC 4013 §2.3: tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9 of RFC 3454. */
    private static boolean prohibited(int c) {
        return nonAsciiSpace(c)
                || c < 0x20 || c == 0x7F                                            // C.2.1
                || (c >= 0x80 && c <= 0x9F) || c == 0x06DD || c == 0x070F || c == 0x180E // C.2.2
                || c == 0x200C || c == 0x200D || c == 0x2028 || c == 0x2029
                || (c >= 0x2060 && c <= 0x2063) || (c >= 0x1D173 && c <= 0x1D17A)
                || (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000                      // C.3 (planes 15, 16)
                || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE            // C.4
                || (c >= 0xD800 && c <= 0xDFFF)                                      // C.5
                || (c >= 0xFFF9 && c <= 0xFFFD)                                      // C.2.2, C.6
                || (c >= 0x2FF0 && c <= 0x2FFB)                                      // C.7
                || c == 0x0340 || c == 0x0341 || c == 0x200E || c == 0x200F          // C.8
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x206A && c <= 0x206F)
                || c == 0xE0001 || (c >= 0xE0020 && c <= 0xE007F);                   // C.9
    }
}
