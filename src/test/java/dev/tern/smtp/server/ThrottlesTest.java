package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.GreylistSettings;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.policy.greylist.Greylist;
import dev.tern.smtp.protocol.Reply;
import dev.tern.smtp.protocol.SmtpInput;
import dev.tern.tls.TlsSession;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the session tells the greylist about its client: an allow list's word, HELO, AUTH, trust. */
class ThrottlesTest {

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-12-01T10:00:00Z"));

    @TempDir
    Path data;

    /** A conversation that only says who the client is. */
    private static final class Client implements Conversation {
        @Override
        public void send(Reply reply) {
            throw new AssertionError("Throttles never writes");
        }

        @Override
        public void flush() {
        }

        @Override
        public SmtpInput in() {
            throw new AssertionError("Throttles never reads");
        }

        @Override
        public TlsSession tls() {
            return null;
        }

        @Override
        public String clientAddress() {
            return "203.0.113.7";
        }

        @Override
        public InetAddress clientInetAddress() {
            return dev.tern.mail.IpNetwork.parseAddress("203.0.113.7");
        }

        @Override
        public boolean isLoopback() {
            return false;
        }
    }

    @Test
    void aClientAnAllowListVouchedForIsNotGreylisted() throws Exception {
        try (Greylist greylist = Greylist.open(GreylistSettings.defaults().on(), data, CLOCK, (c, s, h) -> false)) {
            SessionHarness harness = new SessionHarness();
            harness.greylist = greylist;
            SessionState state = new SessionState(false);
            state.greeted("mx.sender.example", true);
            Throttles throttles = new Throttles(harness.settings(), new Client(), state);
            Address sender = new Address("a", Domain.of("sender.example"));
            Address recipient = new Address("alice", Domain.of("localhost"));

            assertThat(throttles.atRcpt(sender, recipient).toString()).startsWith("450 4.2.0 Greylisted");
            state.vouchedFor("dnswl:list.dnswl.example");
            assertThat(throttles.atRcpt(sender, new Address("bob", Domain.of("localhost")))).isNull();
            state.authenticated("someone");
            assertThat(throttles.atRcpt(new Address("c", Domain.of("sender.example")), recipient)).isNull();
            assertThat(greylist.skipped()).isEqualTo(2);
        }
    }

    @Test
    void withNeitherConfiguredNothingIsRefused() {
        SessionHarness harness = new SessionHarness();
        Throttles throttles = new Throttles(harness.settings(), new Client(), new SessionState(false));
        assertThat(throttles.atConnect()).isNull();
        assertThat(throttles.atMail()).isNull();
        assertThat(throttles.atRcpt(Address.NULL, new Address("alice", Domain.of("localhost")))).isNull();
    }
}
