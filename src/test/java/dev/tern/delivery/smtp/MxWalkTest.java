package dev.tern.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.delivery.Outcome;
import dev.tern.delivery.Outcome.Status;
import dev.tern.testsmtp.ScriptedPeer;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 5321 §5.1 over a loopback DNS server: MX order, fallback, null MX, NXDOMAIN, SERVFAIL. */
class MxWalkTest {

    private final CourierFixture world = new CourierFixture();
    private final ScriptedPeer peer = world.peer; // mx1.example.test, preference 10, 127.0.0.1

    MxWalkTest() throws Exception {
    }

    @AfterEach
    void close() throws Exception {
        world.close();
    }

    /** A second peer on another loopback address and the same port, as the MX walk uses one port. */
    private ScriptedPeer peerAt(String ip) throws Exception {
        return world.closeLater(ScriptedPeer.start(InetAddress.getByName(ip), peer.port()));
    }

    @Test
    void theMostPreferredMxGetsTheMessage() throws Exception {
        ScriptedPeer best = peerAt("127.0.0.3");
        world.dns.add("example.test", "MX", "5 mx0.example.test.").add("mx0.example.test", "A", "127.0.0.3");
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@example.test"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(outcomes.get(0).where()).startsWith("mx0.example.test[127.0.0.3]");
        assertThat(best.only().messages).hasSize(1);
        assertThat(peer.sessions()).isEmpty();
    }

    @Test
    void aRefusedConnectionMovesOnToTheNextMx() throws Exception {
        // Nothing listens on 127.0.0.2: the connection is refused at once.
        world.dns.add("example.test", "MX", "5 mx0.example.test.").add("mx0.example.test", "A", "127.0.0.2");
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@example.test"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(outcomes.get(0).where()).startsWith("mx1.example.test[127.0.0.1]");
    }

    @Test
    void aBusyGreetingMovesOnToTheNextMx() throws Exception {
        ScriptedPeer busy = peerAt("127.0.0.3");
        busy.greeting = "421 4.3.2 too busy";
        world.dns.add("example.test", "MX", "5 mx0.example.test.").add("mx0.example.test", "A", "127.0.0.3");
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@example.test"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(busy.sessions()).hasSize(1);
        assertThat(peer.only().messages).hasSize(1);
    }

    @Test
    void whenNoMxTakesTheMessageTheLastReasonDefersIt() throws Exception {
        world.dns.add("down.test", "MX", "10 a.down.test.").add("a.down.test", "A", "127.0.0.2")
                .add("down.test", "MX", "20 b.down.test.").add("b.down.test", "A", "127.0.0.4");
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@down.test"));
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.4.1");
            assertThat(o.where()).startsWith("b.down.test[127.0.0.4]");
            assertThat(o.detail()).startsWith("connect to b.down.test[127.0.0.4]");
        });
    }

    @Test
    void aNullMxFailsAtOnce() throws Exception {
        world.dns.add("nomail.test", "MX", "0 .");
        assertThat(world.deliver(Parcels.of("alice@here.test", "bob@nomail.test"))).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.FAILED);
            assertThat(o.enhancedCode()).isEqualTo("5.1.10");
            assertThat(o.where()).as("no server was asked").isEqualTo("dns");
        });
    }

    @Test
    void aDomainThatDoesNotExistFails() throws Exception {
        assertThat(world.deliver(Parcels.of("alice@here.test", "bob@nowhere.test"))).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.FAILED);
            assertThat(o.enhancedCode()).isEqualTo("5.1.2");
            assertThat(o.where()).isEqualTo("dns");
        });
    }

    @Test
    void aDnsFailureDefers() throws Exception {
        world.dns.servfail("broken.test");
        assertThat(world.deliver(Parcels.of("alice@here.test", "bob@broken.test"))).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.4.3");
            assertThat(o.detail()).contains("SERVFAIL");
            assertThat(o.where()).isEqualTo("dns");
        });
    }

    @Test
    void aDomainWithoutMxButWithAnAddressIsItsOwnMailHost() throws Exception {
        world.dns.add("plain.test", "A", "127.0.0.1");
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@plain.test"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(outcomes.get(0).where()).startsWith("plain.test[127.0.0.1]");
    }

    @Test
    void beingTheBestMxOfTheDomainIsALoop() throws Exception {
        List<Outcome> outcomes = world.courier("mx1.example.test").deliver(Parcels.of("a@here.test", "bob@example.test"));
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.FAILED);
            assertThat(o.enhancedCode()).isEqualTo("5.4.6");
        });
        assertThat(peer.sessions()).isEmpty();
    }

    @Test
    void aBackupMxOnlyTriesTheMorePreferredHosts() throws Exception {
        world.dns.add("example.test", "MX", "20 backup.example.test.").add("backup.example.test", "A", "127.0.0.2");
        List<Outcome> outcomes = world.courier("backup.example.test").deliver(Parcels.of("a@here.test", "bob@example.test"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(outcomes.get(0).where()).startsWith("mx1.example.test");
    }

    @Test
    void anAddressLiteralNeedsNoDns() throws Exception {
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@[127.0.0.1]"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().commands).contains("RCPT TO:<bob@[127.0.0.1]>");
    }
}
