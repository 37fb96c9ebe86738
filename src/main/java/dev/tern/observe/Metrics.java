package dev.tern.observe;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The metrics seam: what happened, told by the code where it happened, beside its mail-log line. Every method
 * is a no-op by default, and {@link #NONE} is what {@link #get} returns while no metrics listener runs, so a
 * server without {@code [metrics] listen} pays one volatile read per event. The implementation with meters
 * ({@code dev.tern.metrics.MeterMetrics}) registers every meter it can before the first event, so an event is a
 * counter increment (an array index by enum ordinal or reply class), never a registry look-up.
 *
 * <p>Installed once per process, like the mail log's logger: a Tern server is one process. Tests that run
 * two servers in one JVM get both servers' events in whichever one installed its metrics last.
 */
public interface Metrics {

    /** A no-op for every event. */
    Metrics NONE = new Metrics() {
    };

    /** What became of a connection at accept. */
    enum Connection { ACCEPTED, REFUSED }

    /** What became of a received message at the end of its data. */
    enum Reception { ACCEPTED, DEFERRED, REJECTED }

    /** What one delivery attempt did for one recipient. */
    enum Delivery { DELIVERED, DEFERRED, BOUNCED }

    /** The message authentication checks of received mail. */
    enum Check { SPF, DKIM, DMARC }

    /** The MX's defences and filters: the screen, rate limits, greylisting, milters. */
    enum Defence { SCREEN, RATE_LIMIT, GREYLIST, MILTER }

    /** The installed metrics, {@link #NONE} when none are. */
    static Metrics get() {
        return Holder.CURRENT.get();
    }

    /** Installs {@code metrics} for every later event (the server does, when its metrics listener starts). */
    static void install(Metrics metrics) {
        Holder.CURRENT.set(metrics == null ? NONE : metrics);
    }

    /** Goes back to {@link #NONE}, unless another server installed its own meanwhile. */
    static void uninstall(Metrics metrics) {
        Holder.CURRENT.compareAndSet(metrics, NONE);
    }

    /** A connection to the listener named {@code listener}, accepted or refused by the connection limits. */
    default void connection(String listener, Connection result) {
    }

    /** One SMTP reply sent to a client. */
    default void reply(int code) {
    }

    /** The end of a message's data: 250, 4xx or 5xx. */
    default void received(Reception result) {
    }

    /**
     * One recipient's delivery outcome.
     *
     * @param domain the recipient's domain (deferrals are counted by destination)
     * @param delay  since the message arrived (deliveries feed the latency histogram)
     */
    default void delivery(Delivery result, String domain, Duration delay) {
    }

    /** A TLS handshake completed with a client ({@code TLSv1.3}). */
    default void tls(String protocol) {
    }

    /**
     * One TLS session toward another server, by the policy that asked for it ({@code dane}, {@code mta-sts},
     * {@code may}, ...) and how it went: {@code success}, or an RFC 8460 result type such as
     * {@code starttls-not-supported} or {@code certificate-host-mismatch}.
     */
    default void outboundTls(String policy, String result) {
    }

    /** An SMTP AUTH exchange ended. */
    default void auth(boolean success) {
    }

    /** The result of one check of a received message ({@code pass}, {@code fail}, ... as in the mail log). */
    default void check(Check check, String result) {
    }

    /**
     * One decision of a defence, in the word its mail-log line uses: the screen's {@code pass}, {@code dnsbl},
     * {@code early-talker}...; the rate limit's key ({@code client_messages_per_hour}); {@code greylisted} or
     * {@code passed}; a milter's {@code reject}, {@code modify}, {@code default-tempfail}...
     */
    default void defence(Defence defence, String result) {
    }

    /** Keeps the installed instance; an interface cannot hold a mutable field of its own. */
    final class Holder {
        private static final AtomicReference<Metrics> CURRENT = new AtomicReference<>(NONE);

        private Holder() {
        }
    }
}
