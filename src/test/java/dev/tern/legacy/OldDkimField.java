package dev.tern.legacy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One header field as it appeared in the message: its name and its raw octets, folding included, without the
 * CRLF that ends it. DKIM signs octets, so the raw form is kept untouched (RFC 6376 §3.4.1).
 *
 * @param name the field name, without the WSP an obsolete-syntax field may have before its colon
 * @param raw  the whole field: name, colon, value and inner CRLF folds
 */
public record OldDkimField(String name, byte[] raw) {

    public OldDkimField {
        raw = raw.clone();
    }

    /** A field from its text (ISO-8859-1 maps each char to one octet; CRLF folds are kept). */
    public static OldDkimField of(String text) {
        byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
        return new OldDkimField(OldDkimBlock.nameOf(raw, raw.length), raw);
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    public int length() {
        return raw.length;
    }

    byte at(int i) {
        return raw[i];
    }

    /** Field names compare without regard to case (RFC 5322 §1.2.2). */
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The value after the colon, unfolded, as ISO-8859-1 text (one char per octet). */
    public String value() {
        int colon = indexOfColon();
        String value = new String(raw, colon + 1, raw.length - colon - 1, StandardCharsets.ISO_8859_1);
        return value.replace("\r\n", "");
    }

    public int indexOfColon() {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == ':') {
                return i;
            }
        }
        return raw.length - 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OldDkimField f && f.name.equals(name) && Arrays.equals(f.raw, raw);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }
}
