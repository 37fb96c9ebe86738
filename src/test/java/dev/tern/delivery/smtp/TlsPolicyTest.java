package dev.tern.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.DeliverySettings.Relayhost;
import dev.tern.config.DeliverySettings.TlsPolicy;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Outcome.Status;
import dev.tern.tls.ReloadingCertificate;
import dev.tern.tls.ServerTls;
import dev.tern.tls.TlsCertificates;
import dev.tern.testsmtp.ScriptedPeer;
import dev.tern.testlog.MailLogCapture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS under the policies none, may, encrypt and verify, and AUTH toward a relay host. */
class TlsPolicyTest {

    @TempDir
    static Path dir;
    private static ServerTls serverTls;
    private static Path caFile;

    private final CourierFixture world = new CourierFixture();
    private final ScriptedPeer peer = world.peer;

    TlsPolicyTest() throws Exception {
    }

    @BeforeAll
    static void certificate() throws Exception {
        // A self-signed certificate for mx1.example.test; as the CA file it is its own trust anchor.
        ReloadingCertificate cert = TlsCertificates.selfSigned(dir, "mx1.example.test");
        caFile = cert.chainFile();
        serverTls = ServerTls.create(List.of(cert));
    }

    @BeforeEach
    void tls() {
        peer.tls = serverTls;
        peer.extensions("PIPELINING", "STARTTLS", "8BITMIME");
    }

    @AfterEach
    void close() throws Exception {
        world.close();
    }

    private void policy(TlsPolicy policy) {
        world.settings = world.settings.withTls(policy, caFile, Map.of());
    }

    private SmtpCourier courier;

    private List<Outcome> send(String to) throws Exception {
        courier = world.courier();
        return courier.deliver(Parcels.of("alice@here.test", to));
    }

    @Test
    void mayUsesTlsWhenOfferedAndLogsIt() throws Exception {
        policy(TlsPolicy.MAY);
        try (MailLogCapture log = new MailLogCapture()) {
            assertThat(send("bob@example.test")).extracting(Outcome::status).containsExactly(Status.DELIVERED);
            assertThat(log.lines()).anyMatch(l -> l.contains("smtp-sent") && l.matches(".* tls=TLSv1\\.[23]:TLS_\\S+ .*"));
        }
        ScriptedPeer.Session s = peer.only();
        assertThat(s.tls).isTrue();
        assertThat(s.commands).containsSubsequence("EHLO client.test", "STARTTLS", "EHLO client.test", "MAIL FROM:<alice@here.test> BODY=8BITMIME");
        assertThat(s.messages).hasSize(1);
    }

    @Test
    void mayRetriesInPlaintextWhenTheHandshakeFails() throws Exception {
        policy(TlsPolicy.MAY);
        peer.breakTls = true;
        try (MailLogCapture log = new MailLogCapture()) {
            assertThat(send("bob@example.test")).extracting(Outcome::status).containsExactly(Status.DELIVERED);
            assertThat(log.lines()).anyMatch(l -> l.contains("smtp-sent") && l.contains("tls=none"));
        }
        assertThat(peer.sessions()).hasSize(2);
        assertThat(peer.sessions().get(0).commands).contains("STARTTLS");
        assertThat(peer.sessions().get(1).commands).doesNotContain("STARTTLS");
        assertThat(peer.sessions().get(1).messages).hasSize(1);
    }

    @Test
    void mayGoesInPlaintextWhenTlsIsNotOffered() throws Exception {
        policy(TlsPolicy.MAY);
        peer.extensions("PIPELINING");
        assertThat(send("bob@example.test")).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().tls).isFalse();
    }

    @Test
    void noneNeverStartsTls() throws Exception {
        policy(TlsPolicy.NONE);
        assertThat(send("bob@example.test")).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().commands).doesNotContain("STARTTLS");
    }

    @Test
    void encryptAcceptsAnyCertificate() throws Exception {
        world.settings = world.settings.withTls(TlsPolicy.ENCRYPT, null, Map.of()); // the certificate is not trusted
        assertThat(send("bob@example.test")).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().tls).isTrue();
    }

    @Test
    void encryptDefersWhenTlsIsNotOffered() throws Exception {
        policy(TlsPolicy.ENCRYPT);
        peer.extensions("PIPELINING");
        assertThat(send("bob@example.test")).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.7.5");
            assertThat(o.detail()).contains("TLS required but not available");
        });
        assertThat(peer.only().commands).noneMatch(c -> c.startsWith("MAIL"));
    }

    @Test
    void encryptDoesNotFallBackToPlaintext() throws Exception {
        policy(TlsPolicy.ENCRYPT);
        peer.breakTls = true;
        assertThat(send("bob@example.test")).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.7.5");
        });
        assertThat(peer.sessions()).hasSize(1);
        assertThat(courier.openConnections()).isZero();
    }

    @Test
    void verifyAcceptsATrustedCertificateForTheMxName() throws Exception {
        world.settings = world.settings.withTls(TlsPolicy.MAY, caFile, Map.of("example.test", TlsPolicy.VERIFY));
        assertThat(send("bob@example.test")).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().tls).isTrue();
    }

    @Test
    void verifyRefusesACertificateForAnotherName() throws Exception {
        world.dns.add("wrong.test", "MX", "10 other.wrong.test.").add("other.wrong.test", "A", "127.0.0.1");
        world.settings = world.settings.withTls(TlsPolicy.MAY, caFile, Map.of("wrong.test", TlsPolicy.VERIFY));
        assertThat(send("bob@wrong.test")).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.7.5");
            assertThat(o.detail()).contains("TLS with other.wrong.test[127.0.0.1]");
        });
        assertThat(peer.only().commands).noneMatch(c -> c.startsWith("MAIL"));
        assertThat(courier.openConnections()).isZero();
    }

    @Test
    void verifyRefusesAnUntrustedCertificate() throws Exception {
        world.settings = world.settings.withTls(TlsPolicy.VERIFY, null, Map.of());
        assertThat(send("bob@example.test")).singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(Status.DEFERRED));
        assertThat(peer.only().commands).noneMatch(c -> c.startsWith("MAIL"));
    }

    private void relay(TlsPolicy tls) {
        world.settings = world.settings.withTls(TlsPolicy.MAY, caFile, Map.of())
                .withRelayhost(new Relayhost("127.0.0.1", peer.port(), tls, "me@here.test", "s3cret"));
        peer.acceptedAuth = "\0me@here.test\0s3cret";
    }

    @Test
    void authToTheRelayHostWithPlainAfterStartTls() throws Exception {
        relay(TlsPolicy.ENCRYPT);
        peer.extensions("PIPELINING", "STARTTLS", "AUTH PLAIN LOGIN");
        assertThat(send("bob@anywhere.test")).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        ScriptedPeer.Session s = peer.only();
        assertThat(s.auth).isEqualTo("\0me@here.test\0s3cret");
        assertThat(s.commands).containsSubsequence("STARTTLS", "EHLO client.test");
        assertThat(s.commands).anyMatch(c -> c.startsWith("AUTH PLAIN "));
        assertThat(s.commands.indexOf("STARTTLS")).isLessThan(indexOf(s, "AUTH"));
    }

    @Test
    void authWithLoginWhenPlainIsNotOffered() throws Exception {
        relay(null);
        peer.extensions("STARTTLS", "AUTH=LOGIN");
        assertThat(send("bob@anywhere.test")).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().auth).isEqualTo("\0me@here.test\0s3cret");
        assertThat(peer.only().commands).contains("AUTH LOGIN");
    }

    @Test
    void credentialsAreNeverSentInTheClear() throws Exception {
        relay(TlsPolicy.MAY);
        peer.extensions("PIPELINING", "AUTH PLAIN");
        assertThat(send("bob@anywhere.test")).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.detail()).contains("only over TLS");
        });
        assertThat(peer.only().commands).noneMatch(c -> c.startsWith("AUTH"));
    }

    @Test
    void refusedCredentialsDefer() throws Exception {
        relay(TlsPolicy.ENCRYPT);
        peer.acceptedAuth = "\0me@here.test\0other";
        peer.extensions("STARTTLS", "AUTH PLAIN");
        assertThat(send("bob@anywhere.test")).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.7.8");
            assertThat(o.detail()).contains("535 5.7.8");
        });
    }

    private static int indexOf(ScriptedPeer.Session s, String prefix) {
        for (int i = 0; i < s.commands.size(); i++) {
            if (s.commands.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
