package dev.tern.io;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: many threads that each need "what I wrote is durable" share one sync (a directory fsync for the
 * spool's renames or a mailbox's deliveries, a segment fdatasync for the spool journal's appends), and none
 * returns before a sync that began after its own call has finished.
 *
 * <p>Callers join the open batch. If no fsync is running, the caller becomes the leader: it closes the
 * batch (later callers join a new one), runs the fsync without the lock, then wakes the batch's members
 * with the result. If an fsync is running, the caller waits; when that fsync ends one of the waiters of
 * the next batch leads it. So under load a directory fsync covers every rename made while the previous
 * one ran, and a failed fsync fails exactly the callers it was meant to cover.
 *
 * <p>A sync may also <em>gather</em>: its leader keeps the batch open until that long after its first member
 * joined, so that writers one after another, not only at once, share a sync (a mailbox's deliveries from one
 * sequential client, whose acknowledgement waits for nobody). A caller may {@link #join} a batch first and
 * {@link #await(Joined)} it later, so that one caller can join several groups' batches and have their gathers
 * run at the same time.
 */
public final class GroupSync {

    /** One sync: what every caller that joined the batch waits for. */
    @FunctionalInterface
    public interface Action {
        void sync() throws IOException;
    }

    /** A place in a batch, from {@link #join}: {@link #await(Joined)} returns once that batch's sync is done. */
    public interface Joined {
    }

    private final Action action;
    private final long gatherNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    /** Never signalled: the leader's gathering pause, which leaves the lock to the members that join meanwhile. */
    private final Condition gathering = lock.newCondition();
    private Batch open = new Batch();
    private boolean syncing;
    private int waiting;

    public GroupSync(FileLayer files, Path dir) {
        this(() -> files.syncDirectory(dir));
    }

    public GroupSync(Action action) {
        this(action, Duration.ZERO);
    }

    /** @param gather how long a batch stays open after its first member joined (zero: not at all) */
    public GroupSync(Action action, Duration gather) {
        this.action = action;
        this.gatherNanos = gather.toNanos();
    }

    /** Returns once a sync that started after this call has succeeded. */
    public void await() throws IOException {
        lock.lock();
        try {
            awaitLocked(joinLocked());
        } finally {
            lock.unlock();
        }
    }

    /** Joins the open batch: what was written before this call is covered by its sync. */
    public Joined join() {
        lock.lock();
        try {
            return joinLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Returns once the sync of the batch {@code joined} names has succeeded (at once if it already has). */
    public void await(Joined joined) throws IOException {
        lock.lock();
        try {
            awaitLocked((Batch) joined);
        } finally {
            lock.unlock();
        }
    }

    private Batch joinLocked() {
        Batch batch = open;
        if (!batch.joined) {
            batch.joined = true;
            batch.firstJoinNanos = System.nanoTime();
        }
        return batch;
    }

    private void awaitLocked(Batch mine) throws IOException {
        waiting++;
        try {
            while (!mine.done) {
                if (!syncing) {
                    lead(mine); // not done and nothing syncing: mine is the open batch
                } else {
                    finished.awaitUninterruptibly();
                }
            }
        } finally {
            waiting--;
        }
        if (mine.error != null) {
            throw new IOException("sync failed: " + mine.error.getMessage(), mine.error);
        }
    }

    /** Called with the lock held; releases it while the batch gathers and during the fsync. */
    private void lead(Batch batch) {
        syncing = true;
        gather(batch);
        open = new Batch();
        lock.unlock();
        IOException error = null;
        try {
            action.sync();
        } catch (IOException e) {
            error = e;
        } catch (RuntimeException e) {
            error = new IOException(e);
        } finally {
            lock.lock();
        }
        batch.error = error;
        batch.done = true;
        syncing = false;
        finished.signalAll();
    }

    /** Waits, with the lock left to others, until the batch has been open {@code gatherNanos} since its first join. */
    private void gather(Batch batch) {
        long end = batch.firstJoinNanos + gatherNanos;
        for (long left = end - System.nanoTime(); gatherNanos > 0 && left > 0; left = end - System.nanoTime()) {
            try {
                gathering.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // a stop: sync what has gathered now
                return;
            }
        }
    }

    /** Callers currently inside {@link #await()} (for tests that line up a batch). */
    public int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    private static final class Batch implements Joined {
        boolean joined;
        long firstJoinNanos;
        boolean done;
        IOException error;
    }
}
