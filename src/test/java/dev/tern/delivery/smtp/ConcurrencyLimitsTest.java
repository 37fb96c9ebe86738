package dev.tern.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConcurrencyLimitsTest {

    @Test
    void perDestinationAndTotalLimitsBothHold() throws InterruptedException {
        ConcurrencyLimits limits = new ConcurrencyLimits(3, 2);
        ConcurrencyLimits.Lease a1 = limits.tryAcquire("a");
        ConcurrencyLimits.Lease a2 = limits.tryAcquire("a");
        assertThat(a1).isNotNull();
        assertThat(a2).isNotNull();
        assertThat(limits.tryAcquire("a")).isNull();
        assertThat(limits.destinationFull("a")).isTrue();
        ConcurrencyLimits.Lease b1 = limits.tryAcquire("b");
        assertThat(b1).isNotNull();
        assertThat(limits.totalFull()).isTrue();
        assertThat(limits.tryAcquire("c")).isNull();
        assertThat(limits.acquire("c", 0)).isNull();

        a1.release();
        a1.release(); // a second release gives nothing back twice
        assertThat(limits.open()).isEqualTo(2);
        assertThat(limits.tryAcquire("c")).isNotNull();
        assertThat(limits.tryAcquire("a")).isNull();
    }

    @Test
    void aWaiterGetsThePermitThatIsGivenBack() throws Exception {
        ConcurrencyLimits limits = new ConcurrencyLimits(1, 1);
        ConcurrencyLimits.Lease held = limits.tryAcquire("a");
        Thread releaser = Thread.ofVirtual().unstarted(held::release);
        releaser.start();
        ConcurrencyLimits.Lease next = limits.acquire("b", 60_000);
        releaser.join();
        assertThat(next).isNotNull();
        assertThat(limits.open()).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void aConnectionGoingIdleWakesADeliveryWaitingForItsDestination() throws Exception {
        ConcurrencyLimits limits = new ConcurrencyLimits(10, 1);
        ConcurrencyLimits.Lease busy = limits.tryAcquire("a");
        Thread waiting = Thread.ofVirtual().start(() -> {
            try {
                limits.awaitTurn("a", 600_000, () -> false); // far past the test's timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        while (waiting.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(1);
        }
        limits.idleConnection("b"); // another destination's: not its turn
        assertThat(waiting.join(java.time.Duration.ofMillis(200))).isFalse();

        limits.idleConnection("a");
        waiting.join();
        assertThat(busy).isNotNull();
        assertThat(limits.open()).isEqualTo(1); // waiting took no permit
    }

    @Test
    void aDeliveryDoesNotWaitWhenAConnectionIsAlreadyIdle() throws Exception {
        ConcurrencyLimits limits = new ConcurrencyLimits(10, 1);
        limits.tryAcquire("a");
        limits.awaitTurn("a", 600_000, () -> true); // returns at once, or the run never ends
        limits.awaitTurn("b", 600_000, () -> false); // "b" is not full
        assertThat(limits.destinationFull("a")).isTrue();
    }

    /** Starts a waiter for {@code destination} and returns once it is parked in its wait. */
    private static Thread waiter(ConcurrencyLimits limits, String destination,
                                 AtomicReference<ConcurrencyLimits.Lease> got) throws InterruptedException {
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                got.set(limits.acquire(destination, 60_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        while (t.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(1);
        }
        return t;
    }

    @Test
    @Timeout(30)
    void whenTheTotalIsTheLimitFreedPermitsGoRoundTheWaitingDestinations() throws Exception {
        ConcurrencyLimits limits = new ConcurrencyLimits(2, 2);
        ConcurrencyLimits.Lease a1 = limits.tryAcquire("hostile");
        ConcurrencyLimits.Lease a2 = limits.tryAcquire("hostile");
        AtomicReference<ConcurrencyLimits.Lease> hostile1 = new AtomicReference<>();
        AtomicReference<ConcurrencyLimits.Lease> other = new AtomicReference<>();
        AtomicReference<ConcurrencyLimits.Lease> hostile2 = new AtomicReference<>();
        Thread h1 = waiter(limits, "hostile", hostile1);
        Thread o = waiter(limits, "other", other);
        Thread h2 = waiter(limits, "hostile", hostile2);

        a1.release(); // "hostile" waited first: its turn
        h1.join();
        assertThat(hostile1.get()).isNotNull();
        a2.release(); // now "other", though "hostile" still has a waiter
        o.join();
        assertThat(other.get()).isNotNull();
        assertThat(hostile2.get()).isNull();
        assertThat(h2.isAlive()).isTrue();

        hostile1.get().release();
        h2.join();
        assertThat(hostile2.get()).isNotNull();
        assertThat(limits.open()).isEqualTo(2);
    }

    @Test
    @Timeout(30)
    void aPermitGivenBackIsTheWaitersBeforeItWakesSoNoOneTakesItOnTheWay() throws Exception {
        ConcurrencyLimits limits = new ConcurrencyLimits(1, 1);
        ConcurrencyLimits.Lease hostile = limits.tryAcquire("hostile");
        AtomicReference<ConcurrencyLimits.Lease> other = new AtomicReference<>();
        Thread o = waiter(limits, "other", other);

        hostile.release();
        // Asked at once, before the waiter has (most likely) run: the permit is already handed over. Were it only
        // freed and the waiter woken, this thread would take it in nearly every run.
        assertThat(limits.open()).isEqualTo(1);
        assertThat(limits.tryAcquire("hostile")).isNull();
        assertThat(limits.tryAcquire("third")).isNull();
        o.join();
        assertThat(other.get()).isNotNull();
        assertThat(limits.open()).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void aWaiterWhoseTimeRanOutLeavesTheTurnToTheOthers() throws Exception {
        ConcurrencyLimits limits = new ConcurrencyLimits(1, 1);
        ConcurrencyLimits.Lease held = limits.tryAcquire("a");
        assertThat(limits.acquire("b", 20)).isNull(); // timed out: "b" has no waiter left
        AtomicReference<ConcurrencyLimits.Lease> c = new AtomicReference<>();
        Thread waiting = waiter(limits, "c", c);

        held.release();
        waiting.join();
        assertThat(c.get()).isNotNull();
        assertThat(limits.open()).isEqualTo(1);
        c.get().release();
        assertThat(limits.open()).isZero(); // no permit was kept for the waiter that left
        assertThat(limits.tryAcquire("b")).isNotNull();
    }
}
