package dev.tern.mail;

import java.util.Locale;

/**
 * A domain name as the client wrote it, with a comparison key.
 *
 * <p>RFC 5321 §2.4: domain names are case-insensitive. With SMTPUTF8 (RFC 6531 §3.2) a domain may be
 * written in U-labels; {@link #key()} is the lower-cased A-label form so that {@code Bücher.example}
 * and {@code xn--bcher-kva.example} name the same domain. The conversion is IDNA2008 ({@link Idna}).
 */
public record Domain(String name) {

    public Domain {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty domain");
        }
    }

    public static Domain of(String name) {
        return new Domain(name);
    }

    /** Lower-case ASCII (A-label) form used for every comparison and lookup. */
    public String key() {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("[")) {
            return lower; // address literal, RFC 5321 §4.1.3
        }
        if (lower.chars().allMatch(c -> c < 128)) {
            return lower; // A-labels and LDH labels need no conversion (RFC 5890 §2.3.2.1)
        }
        return Idna.toAscii(lower).orElse(lower); // IDNA2008 refuses it: compared as written
    }

    public boolean isAddressLiteral() {
        return name.startsWith("[");
    }

    public boolean sameAs(Domain other) {
        return other != null && key().equals(other.key());
    }

    @Override
    public String toString() {
        return name;
    }
}
