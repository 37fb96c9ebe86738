package dev.tern.delivery.smtp;

import dev.tern.delivery.Parcel;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Test parcels: an envelope from text addresses and content held in memory. */
final class Parcels {

    static final String CONTENT = "Received: from client.example\r\nSubject: hi\r\n\r\nhello\r\n.hidden dot\r\n";

    private Parcels() {
    }

    static Address address(String text) {
        if (text.isEmpty()) {
            return Address.NULL;
        }
        int at = text.lastIndexOf('@');
        return new Address(text.substring(0, at), Domain.of(text.substring(at + 1)));
    }

    static Parcel of(String sender, String... recipients) {
        return of(envelope(sender, Arrays.stream(recipients).map(r -> Recipient.of(address(r))).toList(), false),
                CONTENT.getBytes(StandardCharsets.UTF_8));
    }

    static Envelope envelope(String sender, List<Recipient> recipients, boolean smtputf8) {
        return new Envelope(address(sender), recipients, Envelope.BodyType.EIGHT_BIT_MIME, smtputf8, null, null,
                "client.example", "192.0.2.1", null, Instant.now());
    }

    static Parcel of(Envelope envelope, byte[] content) {
        return new Parcel(QueueId.next(), envelope, envelope.recipients(), bytes(content));
    }

    static Parcel.Content bytes(byte[] content) {
        return new Parcel.Content() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(content);
            }

            @Override
            public long size() {
                return content.length;
            }
        };
    }
}
