package dev.tern.policy.dkim;

import dev.tern.mail.header.HeaderField;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One DKIM-Signature field, parsed and checked against RFC 6376 §3.5 and §6.1.1.
 *
 * @param algorithmName the {@code a=} value as written; {@link #algorithm} is empty for one we do not accept
 * @param identity      {@code i=}, by default {@code @d} (§3.5)
 * @param length        {@code l=}, the count of signed body octets, when present
 */
record DkimSignature(HeaderField field, String algorithmName, Optional<DkimAlgorithm> algorithm, byte[] signature,
        byte[] bodyHash, Canonicalization headerCanon, Canonicalization bodyCanon, String domain, String selector,
        List<String> signedFields, String identity, OptionalLong length, OptionalLong timestamp,
        OptionalLong expiry) {

    static final String FIELD = "DKIM-Signature";

    static DkimSignature parse(HeaderField field) throws DkimFormatException {
        Map<String, String> tags = TagList.parse(DkimFields.value(field));
        for (String required : List.of("v", "a", "b", "bh", "d", "h", "s")) {
            if (!tags.containsKey(required) || (tags.get(required).isEmpty() && !required.equals("b"))) {
                throw new DkimFormatException("missing " + required + "= tag");
            }
        }
        if (!tags.get("v").equals("1")) {
            throw new DkimFormatException("unknown version v=" + TagList.shorten(tags.get("v")));
        }
        String a = tags.get("a").toLowerCase(Locale.ROOT);
        Canonicalization[] canon = canonicalization(tags.getOrDefault("c", "simple/simple"));
        String domain = tags.get("d").toLowerCase(Locale.ROOT);
        List<String> fields = Arrays.stream(tags.get("h").split(":")).map(String::strip).toList();
        if (fields.stream().noneMatch(f -> f.equalsIgnoreCase("from"))) {
            throw new DkimFormatException("From is not signed (h= lacks from)"); // §6.1.1
        }
        String identity = tags.getOrDefault("i", "@" + domain);
        checkIdentity(identity, domain);
        String q = tags.get("q");
        if (q != null && Arrays.stream(q.split(":")).map(String::strip).noneMatch("dns/txt"::equalsIgnoreCase)) {
            throw new DkimFormatException("no known query method in q=" + TagList.shorten(q));
        }
        OptionalLong t = number(tags, "t");
        OptionalLong x = number(tags, "x");
        if (t.isPresent() && x.isPresent() && x.getAsLong() < t.getAsLong()) {
            throw new DkimFormatException("x= is before t="); // §3.5: x must be greater than t
        }
        return new DkimSignature(field, a, DkimAlgorithm.fromTag(a), base64(tags, "b"), base64(tags, "bh"), canon[0],
                canon[1], domain, tags.get("s"), fields, identity, number(tags, "l"), t, x);
    }

    /** {@code c=header/body}; a lone value names the header algorithm, the body one is then simple (§3.5). */
    private static Canonicalization[] canonicalization(String c) throws DkimFormatException {
        String[] parts = c.split("/", -1);
        if (parts.length > 2) {
            throw new DkimFormatException("bad c=" + TagList.shorten(c));
        }
        Optional<Canonicalization> header = Canonicalization.fromTag(parts[0].strip());
        Optional<Canonicalization> body = parts.length == 2 ? Canonicalization.fromTag(parts[1].strip())
                : Optional.of(Canonicalization.SIMPLE);
        if (header.isEmpty() || body.isEmpty()) {
            throw new DkimFormatException("unknown canonicalization c=" + TagList.shorten(c));
        }
        return new Canonicalization[] {header.get(), body.get()};
    }

    /** §3.5: the domain of {@code i=} is {@code d=} or one of its subdomains. */
    private static void checkIdentity(String identity, String domain) throws DkimFormatException {
        int at = identity.lastIndexOf('@');
        if (at < 0) {
            throw new DkimFormatException("i= without @");
        }
        String idDomain = identity.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!idDomain.equals(domain) && !idDomain.endsWith("." + domain)) {
            throw new DkimFormatException("i= domain " + idDomain + " is not within d=" + domain);
        }
    }

    String identityDomain() {
        return identity.substring(identity.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    private static OptionalLong number(Map<String, String> tags, String name) throws DkimFormatException {
        String value = tags.get(name);
        if (value == null) {
            return OptionalLong.empty();
        }
        if (!value.matches("[0-9]{1,18}")) {
            throw new DkimFormatException("bad " + name + "=" + TagList.shorten(value));
        }
        return OptionalLong.of(Long.parseLong(value));
    }

    private static byte[] base64(Map<String, String> tags, String name) throws DkimFormatException {
        try {
            return Base64.getDecoder().decode(TagList.withoutWhitespace(tags.get(name)));
        } catch (IllegalArgumentException e) {
            throw new DkimFormatException(name + "= is not base64");
        }
    }

    /** The first characters of {@code b=}, for {@code header.b} in Authentication-Results (RFC 6008). */
    String shortSignature() {
        String b = Base64.getEncoder().encodeToString(signature);
        return b.substring(0, Math.min(8, b.length()));
    }

    /**
     * The field as it is hashed: the value of {@code b=} deleted, white space around it included, the rest kept
     * octet for octet (§3.7).
     */
    HeaderField withoutSignatureValue() {
        String text = field.toString();
        int colon = DkimFields.colon(field);
        int start = colon + 1;
        while (start <= text.length()) {
            int end = text.indexOf(';', start);
            if (end < 0) {
                end = text.length();
            }
            int eq = text.indexOf('=', start);
            if (eq >= 0 && eq < end && text.substring(start, eq).replaceAll("[ \t\r\n]", "").equals("b")) {
                String stripped = text.substring(0, eq + 1) + text.substring(end);
                return HeaderField.of(stripped.getBytes(StandardCharsets.ISO_8859_1));
            }
            start = end + 1;
        }
        return field;
    }
}
