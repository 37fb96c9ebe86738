package dev.tern.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.DeliverySettings.AttemptLimits;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The attempt's two times, each {@code attempt_timeout} long, read on a clock the test moves. */
class AttemptBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(-5 * SECOND); // nanoTime's origin may be negative
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private AttemptBudget budget() {
        return new AttemptBudget(new AttemptLimits(Duration.ofSeconds(10), 5, 2), timer, now::get);
    }

    private void pass(long seconds) {
        now.addAndGet(seconds * SECOND);
    }

    @Test
    void aLongWaitForAPermitLeavesTheConversationItsWholeTime() {
        AttemptBudget budget = budget();
        pass(9);
        assertThat(budget.remainingMillis()).isEqualTo(1_000);
        assertThat(budget.started()).isFalse();

        budget.start(); // the permit came with a second of the wait left
        assertThat(budget.remainingMillis()).isEqualTo(10_000);
        pass(9);
        assertThat(budget.expired()).isFalse();
        pass(1);
        assertThat(budget.expired()).isTrue();
        budget.close();
    }

    @Test
    void aWaitWithoutAPermitEndsAtTheAttemptTimeout() {
        AttemptBudget budget = budget();
        pass(10);
        assertThat(budget.expired()).isTrue();
        assertThat(budget.remainingMillis()).isZero();
        assertThat(budget.started()).isFalse();
        budget.close(); // no watchdog was ever set
    }

    @Test
    void onlyTheFirstPermitStartsTheConversationsTime() {
        AttemptBudget budget = budget();
        budget.start();
        pass(6);
        budget.start(); // the walk's next address: it spends what is left
        assertThat(budget.remainingMillis()).isEqualTo(4_000);
        budget.close();
    }
}
