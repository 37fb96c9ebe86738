package dev.tern.app;

import dev.tern.config.ServiceSettings;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The signals an operator (or systemd) sends a running server, through {@code sun.misc.Signal} of the
 * {@code jdk.unsupported} module, the one signal API the JDK lets a class-path program use (its
 * {@code jdk.internal.misc} twin is not exported):
 *
 * <ul>
 *   <li>SIGHUP reads the configuration again ({@link Tern#reload}), as Postfix's {@code postfix reload};</li>
 *   <li>SIGTERM stops gracefully ({@link Tern#stop}) and the process exits 0; a second SIGTERM, or the stop
 *       outliving its own bounds by {@link #BACKSTOP}, ends the process at once with status 143 (what
 *       SIGTERM's default would give). Every 250 already sent is on disk, so ending at once loses nothing
 *       acknowledged (invariant 1).</li>
 * </ul>
 *
 * Without them (a JVM run with {@code -Xrs}) the shutdown hook still stops gracefully, and reload is left to
 * {@code tern reload}.
 */
final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);
    /** How much longer than its two bounds a stop may take (closing files, the control socket) before the end. */
    static final Duration BACKSTOP = Duration.ofSeconds(15);
    /** 128 + SIGTERM's number: what a shell reports for a process ended by SIGTERM. */
    static final int TERMINATED = 143;

    private Signals() {
    }

    /**
     * Installs the handlers.
     *
     * @param stopped run once the graceful stop is over, to let {@code tern serve} return 0
     */
    static void install(Tern tern, Runnable stopped) {
        AtomicBoolean stopping = new AtomicBoolean();
        handle("HUP", () -> Thread.ofPlatform().name("reload").start(() ->
                LOG.info("SIGHUP: {}", tern.reload().text())));
        handle("TERM", () -> {
            if (!stopping.compareAndSet(false, true)) {
                LOG.warn("second SIGTERM: stopping now");
                Runtime.getRuntime().halt(TERMINATED);
            }
            LOG.info("SIGTERM: stopping gracefully");
            startBackstop(tern.config().service());
            Thread.ofPlatform().name("stop").start(() -> {
                tern.stop();
                stopped.run();
            });
        });
    }

    private static void handle(String name, Runnable action) {
        try {
            Signal.handle(new Signal(name), signal -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("cannot handle SIG{} ({}); use 'tern reload' and the shutdown hook", name, e.getMessage());
        }
    }

    /** Ends the process if the stop takes longer than its bounds: a close that hangs must not keep it alive. */
    private static void startBackstop(ServiceSettings service) {
        Duration limit = service.shutdownGrace().plus(service.deliveryGrace()).plus(BACKSTOP);
        Thread.ofPlatform().daemon().name("stop-backstop").start(() -> {
            try {
                Thread.sleep(limit);
            } catch (InterruptedException e) {
                return;
            }
            LOG.warn("the stop took longer than {}s: stopping now", limit.toSeconds());
            Runtime.getRuntime().halt(TERMINATED);
        });
    }
}
