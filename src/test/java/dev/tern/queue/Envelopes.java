package dev.tern.queue;

import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.Recipient;
import java.time.Instant;
import java.util.Arrays;

/** Test envelopes. */
final class Envelopes {

    private Envelopes() {
    }

    static Address address(String text) {
        int at = text.lastIndexOf('@');
        return new Address(text.substring(0, at), Domain.of(text.substring(at + 1)));
    }

    static Envelope of(Instant received, String sender, String... recipients) {
        return new Envelope(sender.isEmpty() ? Address.NULL : address(sender),
                Arrays.stream(recipients).map(r -> Recipient.of(address(r))).toList(),
                Envelope.BodyType.EIGHT_BIT_MIME, false, null, null, "client.example", "192.0.2.1", null, received);
    }
}
