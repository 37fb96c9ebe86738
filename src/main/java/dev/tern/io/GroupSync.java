package dev.tern.io;

import java.io.IOException;
import java.nio.file.Path;
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
 */
public final class GroupSync {

    /** One sync: what every caller that joined the batch waits for. */
    @FunctionalInterface
    public interface Action {
        void sync() throws IOException;
    }

    private final Action action;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private Batch open = new Batch();
    private boolean syncing;
    private int waiting;

    public GroupSync(FileLayer files, Path dir) {
        this(() -> files.syncDirectory(dir));
    }

    public GroupSync(Action action) {
        this.action = action;
    }

    /** Returns once a sync that started after this call has succeeded. */
    public void await() throws IOException {
        lock.lock();
        try {
            Batch mine = open;
            waiting++;
            try {
                while (!mine.done) {
                    if (!syncing) {
                        lead(mine);
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
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held; releases it during the fsync. */
    private void lead(Batch batch) {
        syncing = true;
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

    /** Callers currently inside {@link #await()} (for tests that line up a batch). */
    public int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    private static final class Batch {
        boolean done;
        IOException error;
    }
}
