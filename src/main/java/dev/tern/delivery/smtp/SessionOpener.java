package dev.tern.delivery.smtp;

import dev.tern.config.DeliverySettings;
import dev.tern.dns.Target;
import dev.tern.smtp.protocol.Reply;
import dev.tern.smtp.protocol.ReplyReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Makes a connection ready for MAIL: greeting, EHLO (HELO if EHLO is refused, RFC 5321 §3.2), STARTTLS as the
 * destination's TLS policy asks, EHLO again, and AUTH toward a destination with credentials.
 */
final class SessionOpener {

    /** A connection ready for a transaction, or why this address cannot take one. */
    record Opened(SmtpConnection connection, Attempt.Next failure) {
    }

    private final DeliverySettings settings;
    private final String hostname;
    private final ClientTls clientTls;
    private final TlsReporting reporting;

    SessionOpener(DeliverySettings settings, String hostname, ClientTls clientTls, TlsReporting reporting) {
        this.settings = settings;
        this.hostname = hostname;
        this.clientTls = clientTls;
        this.reporting = reporting;
    }

    /**
     * Connects to {@code target}; the lease is released with the connection, or at once on failure. The
     * connection is watched by the attempt's budget from the moment it exists, and the connect itself waits no
     * longer than the attempt may still last.
     *
     * @param tls        what TLS the session must reach
     * @param requireTls the message carries REQUIRETLS: the server must offer it under TLS (RFC 8689 §4.2.1)
     */
    Opened open(Target target, Destination d, ConcurrencyLimits.Lease lease, AttemptBudget budget, HostTls tls,
                boolean requireTls) {
        String where = target.host() + "[" + target.address().getHostAddress() + "]"
                + (d.port() == 25 ? "" : ":" + d.port());
        SmtpConnection c;
        try {
            c = SmtpConnection.open(target, d.port(), d.key(), lease, connectTimeout(budget));
        } catch (IOException e) {
            // RFC 3463 X.4.1: no answer from host.
            return new Opened(null, Attempt.Next.temporary("4.4.1", "connect to " + where + ": " + describe(e), where));
        }
        budget.watch(c);
        c.openedUnder(tls);
        try {
            Attempt.Next failure = start(c, d, tls, true, requireTls);
            if (failure == RETRY_PLAIN) {
                c.reconnect(connectTimeout(budget));
                failure = start(c, d, tls, false, requireTls);
            }
            if (failure != null) {
                c.quit();
                return new Opened(null, failure);
            }
            return new Opened(c, null);
        } catch (IOException e) {
            c.close();
            return new Opened(null, lost(c, e, "during the session start"));
        } catch (RuntimeException e) {
            c.close(); // its permit must come back whatever happened
            throw e;
        }
    }

    private Duration connectTimeout(AttemptBudget budget) {
        return Duration.ofMillis(Math.max(1, Math.min(settings.connectTimeout().toMillis(), budget.remainingMillis())));
    }

    /** A marker: the TLS handshake failed under {@code may}; the same host is tried again in plaintext. */
    private static final Attempt.Next RETRY_PLAIN = Attempt.Next.temporary("4.7.5", "retry in plaintext", "");

    private Attempt.Next start(SmtpConnection c, Destination d, HostTls tls, boolean tlsAllowed, boolean requireTls)
            throws IOException {
        Reply greeting = c.read(settings.commandTimeout());
        if (!greeting.isPositive()) {
            return refused(c, greeting, "the greeting");
        }
        Attempt.Next failure = hello(c);
        if (failure != null) {
            return failure;
        }
        failure = tls(c, tls, tlsAllowed);
        if (failure != null) {
            return failure;
        }
        if (requireTls && !(c.isTls() && c.capabilities().requireTls())) {
            // RFC 8689 §4.2.1: the server must offer REQUIRETLS after TLS is established; RFC 8689 §6: 5.7.30.
            return Attempt.Next.permanent("5.7.30", "REQUIRETLS support required: " + c.where()
                    + " does not offer REQUIRETLS", c.where());
        }
        return d.hasCredentials() ? authenticate(c, d) : null;
    }

    private Attempt.Next hello(SmtpConnection c) throws IOException {
        Reply ehlo = c.command("EHLO " + hostname, settings.commandTimeout());
        if (ehlo.isPositive()) {
            c.capabilities(Capabilities.parse(ehlo));
            return null;
        }
        if (ehlo.code() < 500) {
            return refused(c, ehlo, "EHLO");
        }
        // RFC 5321 §3.2: a server that does not know EHLO answers 5xx; HELO then, without extensions.
        Reply helo = c.command("HELO " + hostname, settings.commandTimeout());
        if (!helo.isPositive()) {
            return refused(c, helo, "HELO");
        }
        c.capabilities(Capabilities.none());
        return null;
    }

    private Attempt.Next tls(SmtpConnection c, HostTls policy, boolean allowed) throws IOException {
        boolean required = policy.level().required();
        if (policy.level() == HostTls.Level.NONE || !allowed) {
            return null;
        }
        if (!c.capabilities().startTls()) {
            reporting.failure(c, policy, "starttls-not-supported", c.where() + " does not offer STARTTLS");
            return required ? Attempt.Next.temporary("4.7.5", "TLS required but not available: " + c.where()
                    + " does not offer STARTTLS (tls-policy " + policy.policy() + ")", c.where()) : null;
        }
        Reply reply = c.command("STARTTLS", settings.commandTimeout());
        if (reply.code() != 220) {
            reporting.failure(c, policy, "starttls-not-supported", "STARTTLS refused: " + text(reply));
            if (required || reply.code() == 421) {
                return Attempt.Next.temporary("4.7.5", "TLS required but not available: " + c.where() + " said: "
                        + text(reply) + " (in reply to STARTTLS; tls-policy " + policy.policy() + ")", c.where());
            }
            return null; // RFC 3207 §4: the session goes on as before STARTTLS
        }
        try {
            Exception unverified = c.startTls(clientTls, policy, settings.commandTimeout());
            if (unverified == null) {
                reporting.success(c, policy);
            } else { // a testing policy (RFC 8461 §5.2): reported, delivered all the same
                reporting.failure(c, policy, TlsReporting.resultType(unverified, policy), describe(unverified));
            }
        } catch (IOException e) {
            reporting.failure(c, policy, TlsReporting.resultType(e, policy), describe(e));
            if (!required) {
                return RETRY_PLAIN;
            }
            return Attempt.Next.temporary("4.7.5", "TLS with " + c.where() + " failed: " + describe(e)
                    + " (tls-policy " + policy.policy() + ")", c.where());
        }
        // RFC 3207 §4.2: forget what was learnt before TLS and ask again.
        return hello(c);
    }

    /** RFC 4954 AUTH with PLAIN (RFC 4616) or LOGIN, never in the clear. */
    private Attempt.Next authenticate(SmtpConnection c, Destination d) throws IOException {
        if (!c.isTls()) {
            return Attempt.Next.temporary("4.7.5", "credentials for " + c.where()
                    + " are sent only over TLS, and TLS is not in use", c.where());
        }
        Reply reply;
        if (c.capabilities().auth().contains("PLAIN")) {
            reply = c.command("AUTH PLAIN " + base64("\0" + d.username() + "\0" + d.password()),
                    settings.commandTimeout());
        } else if (c.capabilities().auth().contains("LOGIN")) {
            reply = login(c, d);
        } else {
            return Attempt.Next.temporary("4.7.8", c.where() + " offers no AUTH mechanism Tern knows (PLAIN, LOGIN)",
                    c.where());
        }
        if (reply.code() != 235) {
            return Attempt.Next.temporary(temporary(reply.enhanced(), "4.7.8"), "authentication to " + c.where()
                    + " failed: " + text(reply), c.where());
        }
        return null;
    }

    /** The LOGIN mechanism (draft-murchison-sasl-login): user name and password in answer to two 334s. */
    private Reply login(SmtpConnection c, Destination d) throws IOException {
        Reply reply = c.command("AUTH LOGIN", settings.commandTimeout());
        if (reply.code() != 334) {
            return reply;
        }
        reply = c.command(base64(d.username()), settings.commandTimeout());
        if (reply.code() != 334) {
            return reply;
        }
        return c.command(base64(d.password()), settings.commandTimeout());
    }

    private static Attempt.Next refused(SmtpConnection c, Reply reply, String stage) {
        return Attempt.Next.temporary(temporary(reply.enhanced(), "4.4.0"),
                c.where() + " said: " + text(reply) + " (in reply to " + stage + ")", c.where());
    }

    static Attempt.Next lost(SmtpConnection c, IOException e, String stage) {
        // RFC 3463 X.4.2: bad connection.
        return Attempt.Next.temporary("4.4.2", "lost connection with " + c.where() + " " + stage + ": "
                + describe(e), c.where());
    }

    /** The class digit made temporary: a refusal before the transaction is a reason to try elsewhere. */
    static String temporary(String enhanced, String fallback) {
        return enhanced == null ? fallback : "4" + enhanced.substring(1);
    }

    /** The reply for a log line or a bounce: code, enhanced code and all text lines on one line. */
    static String text(Reply reply) {
        String all = reply.code() + (reply.enhanced() == null ? "" : " " + reply.enhanced()) + " "
                + String.join(" ", reply.lines());
        return ReplyReader.printable(all.length() > 500 ? all.substring(0, 500) + "..." : all);
    }

    static String describe(Exception e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : ReplyReader.printable(message);
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
