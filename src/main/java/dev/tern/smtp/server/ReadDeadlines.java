package dev.tern.smtp.server;

import dev.tern.config.SmtpLimits;
import dev.tern.smtp.protocol.SmtpInput;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How long each read of one session may wait, decided before every read (a socket's timeout bounds one
 * read, so a client that trickles an octet at a time would otherwise never time out):
 * <ul>
 *   <li>the command or data timeout (RFC 5321 §4.5.3.2), short ones while the server is under stress;</li>
 *   <li>never past the end of the whole session ({@code session_timeout});</li>
 *   <li>a command line, once begun, must arrive at {@code min_command_rate} after {@code command_rate_grace}.</li>
 * </ul>
 * When a read times out, {@link #cause()} says which bound it was, so the session can say why it closes.
 */
final class ReadDeadlines implements SmtpInput.ReadPacer {

    /** Which bound stopped the last read that timed out. */
    enum Cause { IDLE, SESSION, TRICKLE }

    private static final long MIN_WAIT_NANOS = 1_000_000;

    private final Transport transport;
    private final SmtpLimits limits;
    private final BooleanSupplier underStress;
    private final long sessionDeadline;
    private boolean inData;
    private Cause cause = Cause.IDLE;
    private boolean stressed;

    ReadDeadlines(Transport transport, SmtpLimits limits, BooleanSupplier underStress, long sessionDeadline) {
        this.transport = transport;
        this.limits = limits;
        this.underStress = underStress;
        this.sessionDeadline = sessionDeadline;
    }

    /** The reads that follow wait for commands (and AUTH responses). */
    void commands() {
        inData = false;
    }

    /** The reads that follow wait for message data (DATA or BDAT). */
    void data() {
        inData = true;
    }

    @Override
    public boolean beforeRead(long lineStartedNanos, int lineOctets, long waitingSince) throws IOException {
        long now = System.nanoTime();
        stressed = underStress.getAsBoolean();
        long waitEnd = waitingSince + phaseTimeout().toNanos();
        cause = Cause.IDLE;
        if (lineStartedNanos != 0 && limits.minCommandRate() > 0) {
            // RFC 5321 §4.5.3.2.7 bounds the wait for a command; a line dribbled out octet by octet must not
            // restart that bound with every octet.
            long allowed = limits.commandRateGrace().toNanos()
                    + (lineOctets + 1L) * 1_000_000_000L / limits.minCommandRate();
            if (lineStartedNanos + allowed - waitEnd < 0) {
                waitEnd = lineStartedNanos + allowed;
                cause = Cause.TRICKLE;
            }
        }
        if (sessionDeadline - waitEnd <= 0) {
            waitEnd = sessionDeadline;
            cause = Cause.SESSION;
        }
        long wait = waitEnd - now;
        if (wait < MIN_WAIT_NANOS) {
            throw new SocketTimeoutException("read deadline passed (" + cause + ")");
        }
        // A wait that began before the server came under stress must still end at the stress timeout, so a
        // long wait is cut into slices no longer than that and looked at again after each one.
        long slice = limits.stressCommandTimeout().toNanos();
        boolean sliced = !stressed && wait > slice;
        transport.setReadTimeout(Duration.ofNanos(sliced ? slice : wait));
        return sliced;
    }

    private Duration phaseTimeout() {
        Duration normal = inData ? limits.dataTimeout() : limits.commandTimeout();
        if (!stressed) {
            return normal;
        }
        Duration stress = inData ? limits.stressDataTimeout() : limits.stressCommandTimeout();
        return stress.compareTo(normal) < 0 ? stress : normal;
    }

    /** Why the last read that timed out stopped. */
    Cause cause() {
        return cause;
    }

    /** Whether the server was under stress at the last read. */
    boolean stressed() {
        return stressed;
    }

    /** Whether the whole session's time is up. */
    boolean sessionExpired() {
        return System.nanoTime() - sessionDeadline >= 0;
    }
}
