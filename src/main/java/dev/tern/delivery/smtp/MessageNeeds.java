package dev.tern.delivery.smtp;

import dev.tern.delivery.Parcel;
import dev.tern.mail.Envelope;
import dev.tern.mail.Recipient;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * What a message asks of the receiving server beyond plain SMTP.
 *
 * @param utf8   it cannot be carried without SMTPUTF8: the envelope asked for it and an address or a header
 *               holds UTF-8 (RFC 6531 §3.2); when only the request is there, an ASCII-only path may do
 * @param binary it was received with BODY=BINARYMIME (RFC 3030 §3): only BDAT can carry it
 */
record MessageNeeds(boolean utf8, boolean binary) {

    /** How far into the content to look for the end of the header. */
    private static final int HEADER_SCAN_LIMIT = 256 * 1024;

    static MessageNeeds of(Parcel parcel, List<Recipient> recipients) throws IOException {
        Envelope e = parcel.envelope();
        boolean utf8 = e.smtputf8() && (e.sender().isInternational()
                || recipients.stream().anyMatch(r -> r.address().isInternational())
                || headerHasUtf8(parcel.content()));
        return new MessageNeeds(utf8, e.body() == Envelope.BodyType.BINARY_MIME);
    }

    /** Whether an octet over 127 appears before the blank line that ends the header (RFC 5322 §2.1). */
    static boolean headerHasUtf8(Parcel.Content content) throws IOException {
        try (InputStream in = new BufferedInputStream(content.open(), 8192)) {
            int previous = -1;
            int beforePrevious = -1;
            for (int i = 0; i < HEADER_SCAN_LIMIT; i++) {
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                if (b > 127) {
                    return true;
                }
                if (b == '\n' && (previous == '\n' || (previous == '\r' && beforePrevious == '\n'))) {
                    return false;
                }
                beforePrevious = previous;
                previous = b;
            }
            return false;
        }
    }
}
