package dev.tern.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.smtp.protocol.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    private static Capabilities parse(String... lines) {
        return Capabilities.parse(new Reply(250, null, List.of(lines), false));
    }

    @Test
    void readsTheExtensionsTernUses() {
        Capabilities c = parse("mx.example greets you", "PIPELINING", "SIZE 35882577", "8BITMIME", "STARTTLS",
                "ENHANCEDSTATUSCODES", "CHUNKING", "BINARYMIME", "SMTPUTF8", "DSN", "AUTH PLAIN LOGIN", "REQUIRETLS");
        assertThat(c).isEqualTo(new Capabilities(35_882_577, true, true, true, true, true, true, true,
                java.util.Set.of("PLAIN", "LOGIN"), true));
    }

    @Test
    void theGreetingLineIsNoExtensionAndCaseDoesNotMatter() {
        Capabilities c = parse("PIPELINING is what I say", "size", "auth=login", "starttls");
        assertThat(c.pipelining()).isFalse();
        assertThat(c.size()).isZero(); // offered without a fixed limit
        assertThat(c.auth()).containsExactly("LOGIN");
        assertThat(c.startTls()).isTrue();
    }

    @Test
    void aHeloServerOffersNothing() {
        assertThat(parse("mx.example").size()).isEqualTo(-1);
        assertThat(Capabilities.none().pipelining()).isFalse();
    }
}
