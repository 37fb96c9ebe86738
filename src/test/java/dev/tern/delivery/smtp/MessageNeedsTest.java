package dev.tern.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.Envelope;
import dev.tern.mail.Recipient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageNeedsTest {

    private static MessageNeeds needs(boolean smtputf8, String recipient, String content) throws IOException {
        Envelope e = Parcels.envelope("a@here.test", List.of(Recipient.of(Parcels.address(recipient))), smtputf8);
        var parcel = Parcels.of(e, content.getBytes(StandardCharsets.UTF_8));
        return MessageNeeds.of(parcel, parcel.recipients());
    }

    @Test
    void utf8IsNeededOnlyWhenAskedForAndUsed() throws IOException {
        assertThat(needs(true, "jörg@example.test", "Subject: x\r\n\r\nbody\r\n").utf8()).isTrue();
        assertThat(needs(true, "bob@example.test", "Subject: Grüße\r\n\r\nbody\r\n").utf8()).isTrue();
        assertThat(needs(true, "bob@example.test", "Subject: x\r\n\r\nGrüße im Text\r\n").utf8()).isFalse();
        assertThat(needs(false, "bob@example.test", "Subject: Grüße\r\n\r\nbody\r\n").utf8()).isFalse();
    }
}
