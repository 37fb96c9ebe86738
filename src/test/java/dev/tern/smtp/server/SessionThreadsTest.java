package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Sessions take platform threads while the pool has one free, then virtual threads; none is ever refused. */
class SessionThreadsTest {

    @Test
    void pastThePoolSessionsRunOnVirtualThreads() throws Exception {
        SessionThreads threads = new SessionThreads("test", 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(5);
        List<Boolean> virtual = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            threads.execute(() -> {
                virtual.add(Thread.currentThread().isVirtual());
                started.countDown();
                await(release);
            });
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(virtual).containsExactlyInAnyOrder(false, false, true, true, true);
        assertThat(threads.platformBusy()).isEqualTo(2);
        release.countDown();
        threads.shutdown();
        assertThat(threads.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void afterShutdownNothingMoreRuns() {
        SessionThreads threads = new SessionThreads("test", 1);
        threads.shutdown();
        assertThatThrownBy(() -> threads.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
