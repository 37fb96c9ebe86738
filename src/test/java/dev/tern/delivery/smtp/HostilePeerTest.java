package dev.tern.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.DeliverySettings.AttemptLimits;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Outcome.Status;
import dev.tern.testsmtp.ScriptedPeer;
import dev.tern.testsmtp.TricklingPeer;
import dev.tern.testsmtp.TricklingPeer.Stage;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Servers that would hold a delivery attempt for as long as they like: one that answers a byte at a time (each
 * byte within every per-read timeout), and domains with many addresses that each fail slowly. The attempt's
 * budget ends them. The timeouts on the tests only turn a hang into a failure: before the budget, the trickle
 * of a reply of 4096 octets at 100 ms each would have lasted seven minutes.
 */
class HostilePeerTest {

    /** Bytes come ten times a second: far within the fixture's 5 s per-read timeouts. */
    private static final Duration TRICKLE = Duration.ofMillis(100);

    private final CourierFixture world = new CourierFixture();

    HostilePeerTest() throws Exception {
    }

    @AfterEach
    void close() throws Exception {
        world.close();
    }

    /** trickle.test's one MX, mx.trickle.test = 127.0.0.2, on the fixture's MX port. */
    private TricklingPeer trickler(Stage stage) throws Exception {
        world.dns.add("trickle.test", "MX", "10 mx.trickle.test.").add("mx.trickle.test", "A", "127.0.0.2");
        return world.closeLater(TricklingPeer.start(InetAddress.getByName("127.0.0.2"), world.peer.port(), stage,
                TRICKLE));
    }

    @Test
    @Timeout(60)
    void aGreetingTrickledByteByByteIsCutAtTheAttemptDeadline() throws Exception {
        TricklingPeer trickler = trickler(Stage.GREETING);
        world.settings = world.settings.withAttempts(new AttemptLimits(Duration.ofSeconds(1), 5, 2));
        SmtpCourier courier = world.courier();

        List<Outcome> outcomes = courier.deliver(Parcels.of("alice@here.test", "bob@trickle.test"));

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.4.7");
            assertThat(o.detail()).isEqualTo("conversation with mx.trickle.test[127.0.0.2]:" + world.peer.port()
                    + " timed out: the delivery attempt took longer than 1s (attempt_timeout)");
        });
        assertThat(courier.openConnections()).isZero();
        assertThat(await(() -> trickler.endedByClient() == 1)).as("the client closed the connection").isTrue();
    }

    @Test
    @Timeout(60)
    void theReplyToTheEndOfDataTrickledByteByByteIsCutAtTheAttemptDeadline() throws Exception {
        TricklingPeer trickler = trickler(Stage.END_OF_DATA);
        world.settings = world.settings.withAttempts(new AttemptLimits(Duration.ofSeconds(1), 5, 2));
        SmtpCourier courier = world.courier();

        List<Outcome> outcomes = courier.deliver(Parcels.of("alice@here.test", "bob@trickle.test"));

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.4.7");
            assertThat(o.detail()).contains("timed out").contains("attempt_timeout");
        });
        assertThat(courier.openConnections()).isZero();
        assertThat(await(() -> trickler.endedByClient() == 1)).isTrue();
        assertThat(trickler.connections()).as("no second address, no retry within the attempt").isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void aDestinationAtItsLimitWaitsWithoutTakingThePermitsOfOthers() throws Exception {
        TricklingPeer trickler = trickler(Stage.GREETING);
        // Two connections in total, one per destination: the trickler may hold one, never both.
        world.settings = world.settings.withConcurrency(2, 1, Duration.ZERO)
                .withAttempts(new AttemptLimits(Duration.ofMinutes(5), 5, 2));
        SmtpCourier courier = world.courier();
        List<Thread> stalled = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stalled.add(Thread.ofVirtual().start(() -> courier.deliver(Parcels.of("a@here.test", "b@trickle.test"))));
        }
        assertThat(await(() -> trickler.trickling() == 1)).isTrue();

        List<Outcome> outcomes = courier.deliver(Parcels.of("alice@here.test", "bob@example.test"));

        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(trickler.mostActive()).isEqualTo(1);
        assertThat(stalled).allMatch(Thread::isAlive);
        trickler.close(); // the stalled attempts end with the connection
        for (Thread t : stalled) {
            t.join();
        }
    }

    /**
     * Three messages for a destination of one connection at a time. The first holds it until its deadline; the
     * two sent while it trickles wait for their turn. One of them gets the connection then, though it has waited
     * most of its attempt_timeout, and has a whole attempt_timeout for its conversation (it is cut at the end of
     * that, not at once); the other's wait ends meanwhile, and it is deferred as congested without a connection.
     */
    @Test
    @Timeout(60)
    void theWaitForATurnAndTheConversationEachHaveTheAttemptTimeout() throws Exception {
        TricklingPeer trickler = trickler(Stage.GREETING);
        world.settings = world.settings.withConcurrency(2, 1, Duration.ZERO)
                .withAttempts(new AttemptLimits(Duration.ofSeconds(2), 5, 2));
        SmtpCourier courier = world.courier();
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        Runnable delivery = () -> outcomes.addAll(courier.deliver(Parcels.of("a@here.test", "b@trickle.test")));
        Instant start = Instant.now();
        List<Thread> deliveries = new ArrayList<>(List.of(Thread.ofVirtual().start(delivery)));
        assertThat(await(() -> trickler.trickling() == 1)).isTrue();
        deliveries.add(Thread.ofVirtual().start(delivery));
        deliveries.add(Thread.ofVirtual().start(delivery));
        for (Thread t : deliveries) {
            t.join();
        }

        assertThat(outcomes).extracting(Outcome::enhancedCode).containsExactlyInAnyOrder("4.4.7", "4.4.7", "4.4.5");
        assertThat(outcomes).filteredOn(o -> o.enhancedCode().equals("4.4.5")).singleElement()
                .satisfies(o -> assertThat(o.detail()).isEqualTo("no connection to trickle.test could be had "
                        + "within 2s (attempt_timeout): the connection limits are reached (max_per_destination 1, "
                        + "max_connections 2)"));
        assertThat(courier.openConnections()).isZero();
        assertThat(trickler.connections()).isEqualTo(2);
        // The second conversation began at the first one's deadline and had 2 s of its own: a lower bound, which
        // a slow machine only makes longer. Cut at the end of its wait instead, it would have ended near 2 s.
        assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void atMostMaxAddressesOfADestinationAreTried() throws Exception {
        List<ScriptedPeer> busy = new ArrayList<>();
        for (int i = 11; i <= 17; i++) {
            world.dns.add("many.test", "MX", i + " mx" + i + ".many.test.").add("mx" + i + ".many.test", "A",
                    "127.0.0." + i);
            ScriptedPeer p = world.closeLater(ScriptedPeer.start(InetAddress.getByName("127.0.0." + i),
                    world.peer.port()));
            p.greeting = "421 4.3.2 too busy";
            busy.add(p);
        }
        world.settings = world.settings.withAttempts(new AttemptLimits(Duration.ofMinutes(5), 3, 2));

        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@many.test"));

        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo(Status.DEFERRED));
        assertThat(busy).extracting(p -> p.sessions().size()).containsExactly(1, 1, 1, 0, 0, 0, 0);
    }

    @Test
    void atMostMaxSessionsAreStartedPerAttempt() throws Exception {
        List<ScriptedPeer> closing = new ArrayList<>();
        for (int i = 21; i <= 24; i++) {
            world.dns.add("closing.test", "MX", i + " mx" + i + ".closing.test.").add("mx" + i + ".closing.test",
                    "A", "127.0.0." + i);
            ScriptedPeer p = world.closeLater(ScriptedPeer.start(InetAddress.getByName("127.0.0." + i),
                    world.peer.port()));
            p.extensions("8BITMIME");
            p.on("MAIL", "421 4.3.2 shutting down");
            closing.add(p);
        }
        world.settings = world.settings.withAttempts(new AttemptLimits(Duration.ofMinutes(5), 5, 2));

        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@closing.test"));

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.detail()).contains("421 4.3.2 shutting down");
        });
        assertThat(closing).extracting(p -> p.sessions().size()).containsExactly(1, 1, 0, 0);
    }

    /** Polls until the condition holds or ten seconds have passed. */
    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
