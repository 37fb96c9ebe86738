package dev.tern.policy.dkim;

import dev.tern.mail.header.HeaderField;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How DKIM reads a {@link HeaderField}: as octets, one char per octet (ISO-8859-1), so that a field rebuilt from
 * its text ({@link DkimSignature#withoutSignatureValue}) hashes to the octets received.
 */
final class DkimFields {

    private DkimFields() {
    }

    /** The value after the colon with every CRLF removed, one char per octet: what the tag list is parsed from. */
    static String value(HeaderField field) {
        String text = field.toString();
        return text.substring(colon(field) + 1).replace("\r\n", "");
    }

    /** The colon's offset in the field; the last octet's when there is none (so the value is empty). */
    static int colon(HeaderField field) {
        int colon = field.colonIndex();
        return colon < 0 ? field.length() - 1 : colon;
    }

    /** The name in lower case, the key by which §5.4.2 picks instances. */
    static String lowerName(HeaderField field) {
        return field.name().toLowerCase(Locale.ROOT);
    }

    static byte[] lowerNameOctets(HeaderField field) {
        return lowerName(field).getBytes(StandardCharsets.ISO_8859_1);
    }

    static boolean isWsp(int b) {
        return b == ' ' || b == '\t';
    }
}
