package dev.tern.mail;

import java.util.Locale;
import java.util.Optional;

/**
 * A domain name as the client wrote it, with a comparison key.
 *
 * <p>RFC 5321 §2.4: domain names are case-insensitive. With SMTPUTF8 (RFC 6531 §3.2) a domain may be
 * written in U-labels; {@link #key()} is the lower-cased A-label form so that {@code Bücher.example}
 * and {@code xn--bcher-kva.example} name the same domain. The conversion is IDNA2008 ({@link Idna}).
 *
 * <p>This is the one conversion of the code base: the config's {@code domains} and {@code [[rule]]}
 * patterns, {@code tern domain add}, the directory and DMARC's Public Suffix List all key a domain by
 * {@link #asciiKey(String)}, so {@code faß.de} is {@code xn--fa-hia.de} to each of them (IDNA2003, which
 * {@code java.net.IDN} implements, made it {@code fass.de}: a different domain under IDNA2008).
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
        return asciiOfLowerCase(lower).orElse(lower); // IDNA2008 refuses it: compared as written
    }

    /**
     * The lower-case A-label form of a domain name (or of one label) by IDNA2008, or empty when IDNA2008
     * refuses it. ASCII is only lower-cased: A-labels and LDH labels need no conversion (RFC 5890 §2.3.2.1),
     * and an ASCII name is never refused here (its syntax is the caller's to check).
     */
    public static Optional<String> asciiKey(String name) {
        return asciiOfLowerCase(name.toLowerCase(Locale.ROOT));
    }

    private static Optional<String> asciiOfLowerCase(String lower) {
        if (lower.chars().allMatch(c -> c < 128)) {
            return Optional.of(lower);
        }
        return Idna.toAscii(lower);
    }

    /** The U-label form to show a person ({@code xn--fa-hia.de} is {@code faß.de}); the name when it has none. */
    public String unicode() {
        return name.startsWith("[") ? name : Idna.toUnicode(name).orElse(name);
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
