package dev.tern.auth;

import com.ongres.saslprep.SASLprep;

/**
 * SASLprep (RFC 4013), the stringprep profile SCRAM applies to passwords (RFC 5802 §2.2) before hashing, so
 * the server derives the same keys as a client that prepares what its user typed. For ASCII it changes
 * nothing but refuses control characters.
 *
 * <p>The tables are RFC 3454's, kept by the ongres stringprep library that the PostgreSQL JDBC driver's
 * SCRAM uses. It is applied as to a query (RFC 3454 §7), which lets through code points unassigned in
 * Unicode 3.2, and then a code point still unassigned in the JDK's Unicode is refused: a password may use
 * characters assigned since 2002 (emoji), as Tern has always allowed, but never a code point whose
 * normalization a later Unicode version could change.
 */
final class SaslPrep {

    private static final SASLprep PROFILE = new SASLprep();

    private SaslPrep() {
    }

    /**
     * The prepared form of a stored string.
     *
     * @throws IllegalArgumentException when it holds a character RFC 4013 §2.3 prohibits, an unassigned
     *                                  code point, or breaks the bidirectional rule (RFC 3454 §6)
     */
    static String prepare(String text) {
        String prepared;
        try {
            prepared = PROFILE.prepareQuery(text);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("RandALCat")) { // RFC 3454 §6
                throw new IllegalArgumentException(
                        "mixed right-to-left and left-to-right text is not allowed by SASLprep", e);
            }
            throw e;
        }
        prepared.codePoints().filter(c -> Character.getType(c) == Character.UNASSIGNED).findFirst().ifPresent(c -> {
            throw new IllegalArgumentException(String.format("character U+%04X is not allowed by SASLprep", c));
        });
        return prepared;
    }
}
