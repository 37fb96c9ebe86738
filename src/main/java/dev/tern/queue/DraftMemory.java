package dev.tern.queue;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How much of the heap the sessions' {@link MemoryDraft}s may hold: each message at most {@link #perMessage}, all
 * together at most a budget, counted in chunks of {@link #CHUNK} octets. A draft that would exceed either becomes a
 * file draft instead, so a burst of large or many messages costs disk writes, never an out-of-memory error.
 *
 * @param perMessage the largest content a draft keeps in memory
 */
record DraftMemory(long perMessage, AtomicLong chunksFree) {

    /** The unit of allocation: the session's message reader writes blocks of 16 KiB. */
    static final int CHUNK = 16 * 1024;
    /** Most messages are smaller (docs/performance.md, "The spool journal"); larger ones go to files. */
    static final long PER_MESSAGE = 256 * 1024;
    /** With 512 MiB of heap by default, an eighth for drafts: 256 sessions at the per-message limit. */
    static final long BUDGET = 64L * 1024 * 1024;

    static DraftMemory defaults() {
        return new DraftMemory(PER_MESSAGE, BUDGET);
    }

    DraftMemory(long perMessage, long budget) {
        this(perMessage, new AtomicLong(budget / CHUNK));
    }

    /** Takes one chunk from the budget; false when it is spent. */
    boolean reserve() {
        return chunksFree.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0;
    }

    void release(int chunks) {
        if (chunks > 0) {
            chunksFree.addAndGet(chunks);
        }
    }
}
