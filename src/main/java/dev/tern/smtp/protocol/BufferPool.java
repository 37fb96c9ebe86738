package dev.tern.smtp.protocol;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Read buffers of one size, lent to a connection while it has input to work on and given back while it waits
 * for the next command. Most sessions of a busy MX wait most of the time (a client between two messages, a
 * connection held open for the next one): 10,000 of them holding a 16 KiB buffer each would be 160 MiB of
 * heap spent on nothing, while only the few that are reading at this moment need one.
 *
 * <p>At most {@code maxKept} buffers are kept for reuse; beyond that a buffer given back is left to the
 * garbage collector, and a request when none is kept allocates a new one. So the pool bounds what it holds
 * after a burst, and a burst is never refused. A buffer given back keeps its old octets: a borrower only
 * ever reads what it has read into the buffer itself ({@link SmtpInput} uses the octets between its own
 * position and limit), so nothing of one connection is seen by another.
 *
 * <p>Thread-safe: the lock guards a push or a pop of one array reference, never a read or a write of the
 * connection.
 */
public final class BufferPool {

    private final int bufferSize;
    private final byte[][] kept;
    private int count;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * @param bufferSize octets in each buffer
     * @param maxKept    how many buffers given back are kept for reuse (0: none, every buffer is new)
     */
    public BufferPool(int bufferSize, int maxKept) {
        if (bufferSize < 1 || maxKept < 0) {
            throw new IllegalArgumentException("buffer size " + bufferSize + ", kept " + maxKept);
        }
        this.bufferSize = bufferSize;
        this.kept = new byte[maxKept][];
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** A buffer of {@link #bufferSize()} octets: one kept, or a new one. */
    public byte[] take() {
        lock.lock();
        try {
            if (count > 0) {
                byte[] buffer = kept[--count];
                kept[count] = null;
                return buffer;
            }
        } finally {
            lock.unlock();
        }
        return new byte[bufferSize];
    }

    /** Gives a buffer back; the caller must not use it afterwards. One of another size is dropped. */
    public void give(byte[] buffer) {
        if (buffer == null || buffer.length != bufferSize) {
            return;
        }
        lock.lock();
        try {
            if (count < kept.length) {
                kept[count++] = buffer;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Buffers kept for reuse now (for tests). */
    int kept() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }
}
