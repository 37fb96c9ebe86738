package dev.tern.smtp.server;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Whether a session is waiting for a command, so that a stopping server may tell it {@code 421 4.3.2} from
 * another thread (RFC 5321 §3.8: a server that must stop says 421 and closes; RFC 3463 X.3.2: system not
 * accepting network messages). One side wins: either the session takes its next command, or the server has
 * claimed the idle session, writes the 421 and closes it, and the session writes nothing more. A session that
 * is busy (reading DATA, delivering a reply) is never claimed: it sees {@link #stopping()} before its next
 * read and says the 421 itself, after the reply of the message it was receiving.
 */
final class IdleGate {

    private static final int BUSY = 0;
    private static final int IDLE = 1;
    private static final int CLAIMED = 2;

    private final AtomicInteger phase = new AtomicInteger(BUSY);
    private final BooleanSupplier stopping;

    IdleGate(BooleanSupplier stopping) {
        this.stopping = stopping;
    }

    boolean stopping() {
        return stopping.getAsBoolean();
    }

    /**
     * Before a read that may block: the session is idle from here. The stop flag is read after the phase is
     * written, and the server writes its flag before it reads the phases: one of the two sees the other.
     *
     * @return false when the server is stopping and the session is to say the 421 itself
     * @throws IOException when the server claimed the session meanwhile (it says the 421)
     */
    boolean enter() throws IOException {
        phase.set(IDLE);
        if (!stopping.getAsBoolean()) {
            return true;
        }
        if (phase.compareAndSet(IDLE, BUSY)) {
            return false;
        }
        throw new IOException("closed while idle: the server is stopping");
    }

    /** After the read (or its failure): false when the server claimed the session while it waited. */
    boolean leave() {
        return phase.compareAndSet(IDLE, BUSY);
    }

    /** The server's side: takes an idle session over; true when it is now the server's to answer and close. */
    boolean claim() {
        return phase.compareAndSet(IDLE, CLAIMED);
    }

    boolean claimed() {
        return phase.get() == CLAIMED;
    }
}
