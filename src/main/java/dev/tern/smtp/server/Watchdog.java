package dev.tern.smtp.server;

import dev.tern.observe.MailLog;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Closes the connections that no read timeout can end: a client that stops reading our replies (a blocked
 * write has no timeout in Java), and a session past its hard deadline however it got there (a TLS handshake
 * dribbled out octet by octet, say). One platform thread sweeps every session once a second; closing the
 * socket makes the session's blocked read or write fail, and its thread ends as usual.
 */
public final class Watchdog implements Closeable {

    private static final Duration SWEEP = Duration.ofSeconds(1);

    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("smtp-watchdog").daemon(true).factory());
    private final BooleanSupplier underStress;

    /** @param underStress whether the short stress timeout applies to writes as well */
    public Watchdog(BooleanSupplier underStress) {
        this.underStress = underStress;
        timer.scheduleWithFixedDelay(this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Watches one connection until the returned watch is closed.
     *
     * @param hardDeadline  System.nanoTime() after which the connection is closed whatever it is doing
     * @param writeTimeout  how long one write may block
     * @param stressTimeout how long one write may block while the server is under stress
     */
    public Watch watch(String client, Closeable connection, long hardDeadline, Duration writeTimeout, Duration stressTimeout) {
        Watch watch = new Watch(client, connection, hardDeadline, writeTimeout.toNanos(),
                Math.min(writeTimeout.toNanos(), stressTimeout.toNanos()));
        watches.add(watch);
        return watch;
    }

    private void sweep() {
        long now = System.nanoTime();
        boolean stress = underStress.getAsBoolean();
        for (Watch watch : watches) {
            watch.check(now, stress);
        }
    }

    /** How many connections are watched (for tests and status). */
    int watched() {
        return watches.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One connection's deadlines. */
    public final class Watch implements AutoCloseable {
        private final String client;
        private final Closeable connection;
        private final long hardDeadline;
        private final long writeTimeout;
        private final long stressWriteTimeout;
        /** When the write in progress began (System.nanoTime()), or 0 when none is. */
        private volatile long writingSince;
        private volatile String firedFor;

        private Watch(String client, Closeable connection, long hardDeadline, long writeTimeout, long stressWriteTimeout) {
            this.client = client;
            this.connection = connection;
            this.hardDeadline = hardDeadline;
            this.writeTimeout = writeTimeout;
            this.stressWriteTimeout = stressWriteTimeout;
        }

        /** Wraps the connection's output so that each write is timed. */
        OutputStream guard(OutputStream out) {
            return new FilterOutputStream(out) {
                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    writingSince = Math.max(1, System.nanoTime());
                    try {
                        out.write(bytes, offset, length);
                    } finally {
                        writingSince = 0;
                    }
                }

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void flush() throws IOException {
                    writingSince = Math.max(1, System.nanoTime());
                    try {
                        out.flush();
                    } finally {
                        writingSince = 0;
                    }
                }
            };
        }

        /** Why the watchdog closed the connection, or null if it did not. */
        String firedFor() {
            return firedFor;
        }

        private void check(long now, boolean stress) {
            long since = writingSince;
            if (since != 0 && now - since > (stress ? stressWriteTimeout : writeTimeout)) {
                fire("write timeout: the client does not read our replies");
            } else if (now - hardDeadline > 0) {
                fire("session time limit exceeded");
            }
        }

        private void fire(String reason) {
            if (firedFor != null) {
                return;
            }
            firedFor = reason;
            watches.remove(this);
            MailLog.event(null, "disconnect").with("client", client).with("reason", reason).log();
            try {
                connection.close();
            } catch (IOException ignored) {
                // closed already: the session is ending anyway
            }
        }

        @Override
        public void close() {
            watches.remove(this);
        }
    }
}
