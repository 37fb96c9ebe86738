package dev.tern.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Callers share syncs, none returns before a sync that began after it joined, and a batch may gather. */
class GroupSyncTest {

    private final AtomicInteger syncs = new AtomicInteger();

    @Test
    void withoutGatheringEachCallerAloneGetsASyncOfItsOwn() throws IOException {
        GroupSync sync = new GroupSync(syncs::incrementAndGet);

        sync.await();
        sync.await();

        assertThat(syncs).hasValue(2);
    }

    @Test
    void callersOneAfterAnotherWithinTheGatherShareOneSync() throws Exception {
        GroupSync sync = new GroupSync(syncs::incrementAndGet, Duration.ofSeconds(30));
        GroupSync.Joined first = sync.join();
        Thread leader = Thread.ofVirtual().start(() -> awaitQuietly(sync, first));
        while (sync.waiting() < 1) {
            Thread.sleep(1);
        }
        GroupSync.Joined second = sync.join(); // joins while the leader gathers: the same batch

        assertThat(second).isSameAs(first);
        leader.interrupt(); // ends the gathering early: the batch syncs now, with both in it
        sync.await(second);
        leader.join();
        assertThat(syncs).hasValue(1);
    }

    @Test
    void aSyncWaitsForTheGatherToPassSinceTheFirstJoin() throws Exception {
        long gather = Duration.ofMillis(200).toNanos();
        GroupSync sync = new GroupSync(syncs::incrementAndGet, Duration.ofNanos(gather));
        long joined = System.nanoTime();
        GroupSync.Joined mine = sync.join();

        sync.await(mine);

        assertThat(System.nanoTime() - joined).isGreaterThanOrEqualTo(gather);
        assertThat(syncs).hasValue(1);
    }

    @Test
    void aBatchJoinedEarlierHasGatheredByTheTimeItIsAwaited() throws Exception {
        GroupSync sync = new GroupSync(syncs::incrementAndGet, Duration.ofMillis(50));
        GroupSync.Joined mine = sync.join();
        Thread.sleep(100); // another mailbox's sync, say

        long start = System.nanoTime();
        sync.await(mine);

        // no second gather: the pause counts from the join, not from the await (a generous bound for a slow machine)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(45));
        assertThat(syncs).hasValue(1);
    }

    @Test
    void aCallerThatJoinsDuringASyncWaitsForTheNextOne() throws Exception {
        CountDownLatch inSync = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        GroupSync sync = new GroupSync(() -> {
            if (syncs.incrementAndGet() == 1) {
                inSync.countDown();
                awaitLatch(finish);
            }
        });
        Thread first = Thread.ofVirtual().start(() -> awaitQuietly(sync, sync.join()));
        assertThat(inSync.await(10, TimeUnit.SECONDS)).isTrue();
        GroupSync.Joined late = sync.join(); // written after the running sync began: it does not cover this
        finish.countDown();

        sync.await(late);
        first.join();
        assertThat(syncs).hasValue(2);
    }

    @Test
    void aFailedSyncFailsItsBatchAndTheNextSucceeds() throws Exception {
        GroupSync sync = new GroupSync(() -> {
            if (syncs.incrementAndGet() == 1) {
                throw new IOException("EIO");
            }
        });
        GroupSync.Joined failing = sync.join();

        assertThatThrownBy(() -> sync.await(failing)).isInstanceOf(IOException.class).hasMessageContaining("EIO");
        assertThatThrownBy(() -> sync.await(failing)).isInstanceOf(IOException.class); // stays failed
        sync.await();
        assertThat(syncs).hasValue(2);
    }

    private static void awaitQuietly(GroupSync sync, GroupSync.Joined joined) {
        try {
            sync.await(joined);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
