package dev.tern.mail.header;

import java.util.List;

/**
 * The {@code TLS-Required} header field (RFC 8689 §3): a sender's request that the recipient domains' TLS policies
 * (MTA-STS, DANE) not stop the message, for a message whose delivery matters more than its secrecy (a report of
 * a broken certificate, say).
 *
 * <p>The grammar is {@code "TLS-Required:" [FWS] "No" CRLF}: one value, no comments. Read here strictly, since
 * honouring the field weakens the delivery's security:
 * <ul>
 *   <li>the name without regard to case (RFC 5322 §1.2.2), the value too (ABNF strings, RFC 5234 §2.3), folding
 *       and white space around {@code No} allowed;</li>
 *   <li>any other value ({@code Yes}, {@code No; please}, {@code No (test)}) asks for nothing;</li>
 *   <li>"more than one instance ... MUST NOT appear": a header with two is not well formed, and none of them is
 *       honoured, so a field added by someone along the way cannot outvote or double the sender's.</li>
 * </ul>
 * Only the message's own header block counts: a {@code TLS-Required} field inside a forwarded or returned message
 * (a {@code message/rfc822} part, a bounce's headers) is body, and the caller hands this the top-level block.
 */
public final class TlsRequiredField {

    /** The field name as RFC 8689 §7 registers it. */
    public static final String NAME = "TLS-Required";

    private TlsRequiredField() {
    }

    /** Whether the header block says {@code TLS-Required: No} (RFC 8689 §4.1), once and only once. */
    public static boolean saysNo(HeaderBlock header) {
        return saysNo(header.as(HeaderBlock.LineEnds.LF).namedFields());
    }

    /** The same for fields already taken out of a header block ({@link HeaderBlock#namedFields()}). */
    public static boolean saysNo(List<HeaderField> fields) {
        HeaderField found = null;
        for (HeaderField field : fields) {
            if (field.is(NAME)) {
                if (found != null) {
                    return false; // RFC 8689 §3: more than one instance MUST NOT appear
                }
                found = field;
            }
        }
        return found != null && isNo(found.value());
    }

    /** {@code [FWS] "No"}: the unfolded value is "No" in any case, with white space around it. */
    static boolean isNo(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isWsp(value.charAt(start))) {
            start++;
        }
        while (end > start && isWsp(value.charAt(end - 1))) {
            end--;
        }
        return end - start == 2 && value.regionMatches(true, start, "No", 0, 2);
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }
}
