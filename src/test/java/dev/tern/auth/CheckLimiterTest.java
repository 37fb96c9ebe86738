package dev.tern.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CheckLimiterTest {

    /** A counting stand-in for the hasher: how many checks run now, and the most that ever ran at once. */
    private static final class CountingChecks {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final CountDownLatch entered;
        final CountDownLatch release = new CountDownLatch(1);

        CountingChecks(int expectedInside) {
            entered = new CountDownLatch(expectedInside);
        }

        boolean check() throws InterruptedException {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            entered.countDown();
            try {
                return release.await(1, TimeUnit.MINUTES);
            } finally {
                running.decrementAndGet();
            }
        }
    }

    @Test
    void aCheckFindingEveryCheckerBusyIsRefusedAfterItsWait() throws Exception {
        CheckLimiter limiter = new CheckLimiter(2, Duration.ZERO);
        CountingChecks checks = new CountingChecks(2);
        try (ExecutorService sessions = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> first = sessions.submit(() -> limiter.run("a", checks::check));
            Future<Boolean> second = sessions.submit(() -> limiter.run("b", checks::check));
            assertThat(checks.entered.await(1, TimeUnit.MINUTES)).isTrue();

            assertThatThrownBy(() -> limiter.run("c@example.com", checks::check)).isInstanceOf(CheckRefused.class)
                    .hasMessage("all password checkers busy")
                    .extracting(e -> ((CheckRefused) e).attemptedUser()).isEqualTo("c@example.com");

            checks.release.countDown();
            assertThat(first.get()).isTrue();
            assertThat(second.get()).isTrue();
        }
        assertThat(limiter.run("c@example.com", checks::check)).as("a free checker again").isTrue();
        assertThat(checks.most).hasValue(2);
    }

    @Test
    void manyWaitingChecksAllRunButNeverMoreAtOnceThanTheBound() throws Exception {
        CheckLimiter limiter = new CheckLimiter(3, Duration.ofMinutes(1));
        CountingChecks checks = new CountingChecks(3);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService sessions = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                results.add(sessions.submit(() -> limiter.run("user", checks::check)));
            }
            assertThat(checks.entered.await(1, TimeUnit.MINUTES)).isTrue();
            assertThat(checks.running).as("three inside, seventeen waiting").hasValue(3);
            checks.release.countDown();
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        }
        assertThat(checks.most).hasValue(3);
    }

    @Test
    void checksRunOnPlatformThreadsNotOnTheSessionsCarriers() throws Exception {
        CheckLimiter limiter = new CheckLimiter(1, Duration.ofMinutes(1));
        try (ExecutorService sessions = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> virtual = sessions.submit(() -> limiter.run("u", () -> Thread.currentThread().isVirtual()));
            assertThat(virtual.get()).isFalse();
        }
    }

    @Test
    void anErrorInsideACheckReachesTheCallerAndFreesTheChecker() {
        CheckLimiter limiter = new CheckLimiter(1, Duration.ZERO);
        assertThatThrownBy(() -> limiter.run("u", () -> {
            throw new IllegalStateException("store unreadable");
        })).isInstanceOf(IllegalStateException.class).hasMessage("store unreadable");
        assertThat(limiter.run("u", () -> true)).isTrue();
    }
}
