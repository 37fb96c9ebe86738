package dev.tern.delivery.smtp;

import dev.tern.config.ConfigValues;
import dev.tern.config.DeliverySettings;
import dev.tern.config.DeliverySettings.DomainRoute;
import dev.tern.config.DeliverySettings.Relayhost;
import dev.tern.delivery.Courier;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Parcel;
import dev.tern.dns.AddressPreference;
import dev.tern.dns.DnsResolver;
import dev.tern.dns.Route;
import dev.tern.dns.Target;
import dev.tern.mail.Envelope;
import dev.tern.mail.Recipient;
import dev.tern.observe.MailLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Delivers to other servers over SMTP. Recipients are grouped by destination (their domain's MX hosts, a
 * configured route, or the relay host); each group is carried in transactions of at most
 * {@value #MAX_RECIPIENTS} recipients, trying the destination's addresses in order until one takes the
 * transaction (RFC 5321 §5.1). Groups of one parcel go out in parallel, each on its own virtual thread.
 *
 * <p>Connections are bounded in total and per destination; an idle connection is kept for the reuse time
 * and carries the next message to the same destination after an RSET. {@link #close()} closes the idle ones.
 * A group waiting for a destination at its limit holds no permit meanwhile, so one destination cannot take
 * the permits of the others.
 *
 * <p>Each group's attempt runs under an {@link AttemptBudget}: a deadline kept by a watchdog that closes the
 * connection when it passes (from the first permit to the last reply; the wait for that permit has a bound of
 * its own, as long), and at most so many addresses and sessions, so that no server, however slowly it answers,
 * holds a permit longer than {@code attempt_timeout}.
 */
public final class SmtpCourier implements Courier, AutoCloseable {

    /** RFC 5321 §4.5.4 / RFC 5321 §5.1: mail exchangers listen on port 25. */
    public static final int SMTP_PORT = 25;
    /** RFC 5321 §4.5.3.1.8: a server must take at least 100 recipients; more go in another transaction. */
    static final int MAX_RECIPIENTS = 100;
    /** The {@code where} of an outcome decided by DNS alone, before any server was asked. */
    static final String DNS = "dns";
    /** How long one wait for a connection permit lasts before idle connections are looked at again. */
    private static final long PERMIT_WAIT_MILLIS = 1000;

    private final DeliverySettings settings;
    private final int mxPort;
    private final TargetFinder finder;
    private final SessionOpener opener;
    private final TlsPlanner planner;
    private final MailTransaction transaction;
    private final ConcurrencyLimits limits;
    private final ScheduledExecutorService timer;
    private final ConnectionCache cache;

    /**
     * The production courier: MX hosts on the settings' {@code mx_port}, which is 25 unless a test says otherwise.
     *
     * @param settings the {@code [delivery]} settings
     * @param hostname the server's host name, sent in EHLO (RFC 5321 §4.1.1.1)
     * @param dns      the resolver for MX and address lookups
     * @throws IOException when the configured CA file cannot be read
     */
    public SmtpCourier(DeliverySettings settings, String hostname, DnsResolver dns) throws IOException {
        this(settings, hostname, dns, settings.mxPort());
    }

    /**
     * As above, with another port for the hosts found by the MX walk: only tests, whose servers listen on
     * ephemeral ports, need it. Routes and the relay host carry their own port.
     */
    public SmtpCourier(DeliverySettings settings, String hostname, DnsResolver dns, int mxPort) throws IOException {
        this(settings, hostname, dns, mxPort, OutboundSecurity.NONE);
    }

    /**
     * As above, asking the recipient domains' MTA-STS policies and DANE records, and telling TLS-RPT how each
     * session went.
     */
    public SmtpCourier(DeliverySettings settings, String hostname, DnsResolver dns, int mxPort,
                       OutboundSecurity security) throws IOException {
        this.settings = settings;
        this.mxPort = mxPort;
        this.finder = new TargetFinder(dns, AddressPreference.valueOf(settings.addresses().name()), hostname);
        this.opener = new SessionOpener(settings, hostname, ClientTls.create(settings.caFile()),
                new TlsReporting(security.reports()));
        this.planner = new TlsPlanner(settings, security);
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "smtp-client-timer");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true); // a deadline cancelled after a quick delivery must not linger
        this.timer = timers;
        this.transaction = new MailTransaction(settings, timer);
        this.limits = new ConcurrencyLimits(settings.maxConnections(), settings.maxPerDestination());
        this.cache = new ConnectionCache(settings.reuseTime(), timer);
    }

    @Override
    public List<Outcome> deliver(Parcel parcel) {
        try {
            return deliverAll(parcel);
        } catch (RuntimeException e) { // each group guards itself; this is for the grouping itself
            MailLog.event(parcel.id().value(), "smtp-error").with("reason", e.toString()).warn();
            return all(parcel.recipients(), r -> Outcome.deferred(r, "4.3.0", "internal error during delivery",
                    "smtp"));
        }
    }

    private List<Outcome> deliverAll(Parcel parcel) {
        List<Recipient> recipients = parcel.recipients();
        Map<String, Group> groups = new LinkedHashMap<>();
        for (int i = 0; i < recipients.size(); i++) {
            Destination d = destinationFor(recipients.get(i), parcel.envelope());
            groups.computeIfAbsent(d.key(), k -> new Group(d, new ArrayList<>())).indexes().add(i);
        }
        Outcome[] outcomes = new Outcome[recipients.size()];
        if (groups.size() == 1) {
            fill(outcomes, groups.values().iterator().next(), deliver(parcel, groups.values().iterator().next()));
        } else {
            inParallel(parcel, groups, outcomes);
        }
        return List.of(outcomes);
    }

    private record Group(Destination destination, List<Integer> indexes) {
        List<Recipient> recipients(Parcel parcel) {
            return indexes.stream().map(parcel.recipients()::get).toList();
        }
    }

    private void inParallel(Parcel parcel, Map<String, Group> groups, Outcome[] outcomes) {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<Group, Future<List<Outcome>>> running = new LinkedHashMap<>();
            for (Group g : groups.values()) {
                running.put(g, threads.submit(() -> deliver(parcel, g)));
            }
            for (Map.Entry<Group, Future<List<Outcome>>> e : running.entrySet()) {
                fill(outcomes, e.getKey(), result(parcel, e.getKey(), e.getValue()));
            }
        }
    }

    private static List<Outcome> result(Parcel parcel, Group g, Future<List<Outcome>> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return all(g.recipients(parcel), r -> Outcome.deferred(r, "4.3.0", "delivery interrupted", "smtp"));
        } catch (ExecutionException e) {
            return internalError(parcel, g, e.getCause());
        }
    }

    private static void fill(Outcome[] outcomes, Group g, List<Outcome> results) {
        for (int i = 0; i < g.indexes().size(); i++) {
            outcomes[g.indexes().get(i)] = results.get(i);
        }
    }

    /** The destination of one recipient of a message without REQUIRETLS or {@code TLS-Required: No}. */
    Destination destinationFor(Recipient r) {
        return destinationFor(r, null);
    }

    /**
     * The destination of one recipient: its domain's route, else the relay host, else its MX hosts. A message
     * whose TLS demands differ from the ordinary (REQUIRETLS, {@code TLS-Required: No}) has a destination of its
     * own, so that it never reuses a connection opened under other terms.
     */
    Destination destinationFor(Recipient r, Envelope envelope) {
        String domain = r.address().domain().key();
        String terms = requireTls(envelope) ? "+requiretls" : tlsOptional(envelope) ? "+tls-optional" : "";
        DomainRoute route = settings.routeFor(domain);
        if (route != null) {
            var tls = route.tls() != null ? route.tls() : settings.tlsFor(domain);
            return new Destination("route:" + route.host() + ":" + route.port() + ":" + tls + terms, route.host(),
                    route.port(), false, tls, null, null);
        }
        Relayhost relay = settings.relayhost();
        if (relay != null) {
            var tls = relay.tls() != null ? relay.tls() : settings.tls();
            return new Destination("relay:" + relay.host() + ":" + relay.port() + terms, relay.host(), relay.port(),
                    false, tls, relay.username(), relay.password());
        }
        return new Destination("mx:" + domain + terms, domain, mxPort, true, settings.tlsFor(domain), null, null);
    }

    /** RFC 8689 §4.2.1: REQUIRETLS binds a message with a return path; a bounce goes as any other mail. */
    private static boolean requireTls(Envelope e) {
        return e != null && e.requireTls() && !e.sender().isNull();
    }

    /** RFC 8689 §5: {@code TLS-Required: No}, unless REQUIRETLS was given too. */
    private static boolean tlsOptional(Envelope e) {
        return e != null && e.tlsOptional() && !e.requireTls();
    }

    /** One destination's recipients; never throws. */
    private List<Outcome> deliver(Parcel parcel, Group g) {
        List<Recipient> recipients = g.recipients(parcel);
        Destination d = g.destination();
        try (AttemptBudget budget = new AttemptBudget(settings.attempts(), timer)) {
            Route route = finder.find(d);
            // No server was asked: "where" names the DNS, not a host, so no bounce shows a Remote-MTA that never
            // answered (RFC 3464 §2.3.5); the reason names the domain or host.
            return switch (route) {
                case Route.Permanent p -> all(recipients, r -> Outcome.failed(r, p.status(), p.reason(), DNS));
                // RFC 3463 X.4.3: directory (DNS) server failure.
                case Route.Temporary t -> all(recipients, r -> Outcome.deferred(r, "4.4.3", t.reason(), DNS));
                case Route.Targets t -> deliver(parcel, d, budget.addresses(t.targets()), recipients, budget);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return all(recipients, r -> Outcome.deferred(r, "4.3.0", "delivery interrupted", "smtp"));
        } catch (IOException e) {
            MailLog.event(parcel.id().value(), "smtp-error").with("reason", "cannot read the queued message: " + e)
                    .warn();
            return all(recipients, r -> Outcome.deferred(r, "4.3.0", "cannot read the queued message", "smtp"));
        } catch (RuntimeException e) {
            return internalError(parcel, g, e);
        }
    }

    private static List<Outcome> internalError(Parcel parcel, Group g, Throwable e) {
        MailLog.event(parcel.id().value(), "smtp-error").with("destination", g.destination().key())
                .with("reason", e.toString()).warn();
        return all(g.recipients(parcel), r -> Outcome.deferred(r, "4.3.0", "internal error during delivery", "smtp"));
    }

    private List<Outcome> deliver(Parcel parcel, Destination d, List<Target> targets, List<Recipient> recipients,
                                  AttemptBudget budget) throws IOException, InterruptedException {
        MessageNeeds needs = MessageNeeds.of(parcel, recipients);
        TlsPlanner.Plan plan = planner.plan(d, targets, requireTls(parcel.envelope()), tlsOptional(parcel.envelope()));
        List<Outcome> outcomes = new ArrayList<>(recipients.size());
        SmtpConnection held = reusable(idleOrTurn(d.key(), budget), plan);
        if (held != null) {
            budget.start();
            budget.watch(held);
            budget.sessionUsed();
        }
        try {
            for (int from = 0; from < recipients.size(); from += MAX_RECIPIENTS) {
                List<Recipient> batch = recipients.subList(from, Math.min(recipients.size(), from + MAX_RECIPIENTS));
                Walk walk = walk(parcel, d, targets, plan, batch, needs, held, budget);
                outcomes.addAll(walk.outcomes());
                held = walk.connection();
            }
        } catch (RuntimeException | InterruptedException e) {
            if (held != null) {
                held.close(); // never keep a permit past an unexpected failure
            }
            throw e;
        }
        if (held != null) {
            budget.release(held);
            cache.put(held);
            limits.idleConnection(d.key());
        }
        return outcomes;
    }

    /**
     * An idle connection to the destination, or null when the walk may open one: while the destination is at its
     * limit and nothing of it is idle, waits for one of its connections to go idle or to close (a busy
     * destination's mail then goes out over the connections it has, one message after another, instead of
     * waiting for a permit that an idle connection keeps).
     */
    private SmtpConnection idleOrTurn(String destination, AttemptBudget budget) throws InterruptedException {
        while (true) {
            SmtpConnection idle = cache.take(destination);
            if (idle != null || !limits.destinationFull(destination)) {
                return idle;
            }
            long wait = Math.min(PERMIT_WAIT_MILLIS, budget.remainingMillis());
            if (wait <= 0) {
                return null; // the walk finds no permit either and says why
            }
            limits.awaitTurn(destination, wait, () -> cache.hasIdle(destination));
        }
    }

    /**
     * An idle connection carries this message only if it was opened under the TLS its host must reach now. The
     * destination's key keeps apart what the message asks (REQUIRETLS, {@code TLS-Required: No}), but the
     * recipient domain's policies change on their own: a session opened under {@code may} must not carry mail
     * once an MTA-STS policy (RFC 8461 §5) or TLSA records (RFC 7672 §2.2) require a verified one, nor go on
     * to a host a new policy leaves out. Otherwise it is closed, and the walk opens one as the plan says.
     */
    private static SmtpConnection reusable(SmtpConnection idle, TlsPlanner.Plan plan) {
        if (idle == null || (plan.forTarget(idle.target()) instanceof TlsPlanner.HostPlan.Use use
                && use.tls().equals(idle.openedUnder()))) {
            return idle;
        }
        idle.quit();
        return null;
    }

    /** What one batch gave, and the connection that may carry the next one. */
    private record Walk(List<Outcome> outcomes, SmtpConnection connection) {
    }

    /**
     * Tries a reused connection, then each address in order, until one takes the transaction, the attempt's
     * deadline passes or its sessions are used up.
     */
    private Walk walk(Parcel parcel, Destination d, List<Target> targets, TlsPlanner.Plan plan, List<Recipient> batch,
                      MessageNeeds needs, SmtpConnection held, AttemptBudget budget) throws InterruptedException {
        Attempt.Next last = null;
        if (held != null) {
            Attempt attempt = reset(held) ? transaction.run(held, parcel, batch, needs) : null;
            if (attempt instanceof Attempt.Done done) {
                return finished(parcel, held, batch, done);
            }
            held.quit();
            if (attempt instanceof Attempt.Next next) {
                last = tried(parcel, held, held.policy(), next);
            }
        }
        Attempt.Next congested = null;
        for (Target target : targets) {
            if (budget.expired() || !budget.mayStartSession()) {
                if (!budget.started()) {
                    congested = congested(d); // the wait for its destination's turn took the whole attempt
                }
                break;
            }
            TlsPlanner.HostPlan hostPlan = plan.forTarget(target);
            if (hostPlan instanceof TlsPlanner.HostPlan.Skip skip) {
                last = tried(parcel, null, skip.policy(), skip.why());
                continue;
            }
            HostTls tls = ((TlsPlanner.HostPlan.Use) hostPlan).tls();
            ConcurrencyLimits.Lease lease = lease(d.key(), budget);
            if (lease == null) {
                congested = congested(d);
                break;
            }
            budget.start(); // the conversation's time: the wait for the permit had its own
            SessionOpener.Opened opened = opener.open(target, d, lease, budget, tls, requireTls(parcel.envelope()));
            if (opened.failure() != null) {
                last = tried(parcel, null, tls.policy(), opened.failure());
                continue;
            }
            budget.sessionUsed();
            SmtpConnection c = opened.connection();
            Attempt attempt = transaction.run(c, parcel, batch, needs);
            if (attempt instanceof Attempt.Done done) {
                return finished(parcel, c, batch, done);
            }
            last = tried(parcel, c, tls.policy(), (Attempt.Next) attempt);
            c.quit();
        }
        return new Walk(given(batch, giveUp(d, last, congested, budget)), null);
    }

    /**
     * Why a walk ended without a transaction: no permit ever came, the deadline passed, or the last failure.
     */
    private static Attempt.Next giveUp(Destination d, Attempt.Next last, Attempt.Next congested,
                                       AttemptBudget budget) {
        if (congested != null && last == null) {
            return congested;
        }
        if (budget.expired()) {
            return budget.timedOut(last == null ? null : last.where());
        }
        return last != null ? last : Attempt.Next.temporary("4.4.0", "no address of " + d.name()
                + " could be tried", "smtp");
    }

    /**
     * The destination kept its connection limit (or all connections were in use) for the whole attempt: RFC 3463
     * X.4.5, mail system congestion. Temporary: the queue tries again after its backoff.
     */
    private Attempt.Next congested(Destination d) {
        return Attempt.Next.temporary("4.4.5", "no connection to " + d.name() + " could be had within "
                + ConfigValues.formatDuration(settings.attempts().timeout()) + " (attempt_timeout): the connection "
                + "limits are reached (max_per_destination " + settings.maxPerDestination() + ", max_connections "
                + settings.maxConnections() + ")", "smtp");
    }

    private static List<Outcome> given(List<Recipient> batch, Attempt.Next reason) {
        return all(batch, r -> reason.permanent()
                ? Outcome.failed(r, reason.status(), reason.detail(), reason.where())
                : Outcome.deferred(r, SessionOpener.temporary(reason.status(), "4.4.0"), reason.detail(),
                        reason.where()));
    }

    /** RFC 5321 §4.1.1.5: a reused session starts from a clean state; a dead one fails here and is replaced. */
    private boolean reset(SmtpConnection c) {
        try {
            return c.usable() && c.command("RSET", settings.commandTimeout()).isPositive();
        } catch (IOException e) {
            return false;
        }
    }

    private Walk finished(Parcel parcel, SmtpConnection c, List<Recipient> batch, Attempt.Done done) {
        long accepted = done.outcomes().stream().filter(o -> o.status() == Outcome.Status.DELIVERED).count();
        MailLog.event(parcel.id().value(), "smtp-sent").with("relay", c.where()).with("tls", c.tls())
                .with("tls-policy", c.policy())
                .with("reused", c.transactions() > 1).with("rcpts", batch.size()).with("accepted", accepted)
                .with("reply", done.outcomes().stream().filter(o -> o.status() == Outcome.Status.DELIVERED)
                        .findFirst().or(() -> done.outcomes().stream().findFirst()).map(Outcome::detail).orElse(null))
                .log();
        return new Walk(done.outcomes(), c.usable() ? c : closed(c));
    }

    private static SmtpConnection closed(SmtpConnection c) {
        c.close();
        return null;
    }

    private static Attempt.Next tried(Parcel parcel, SmtpConnection c, String policy, Attempt.Next next) {
        MailLog.event(parcel.id().value(), "smtp-tried").with("relay", next.where())
                .with("tls", c == null ? null : c.tls()).with("tls-policy", policy)
                .with("status", next.status())
                .with("reason", next.detail()).log();
        return next;
    }

    /**
     * A connection permit; idle connections are closed to make room when the limits are reached. Null when none
     * came before the budget's deadline. Waiting takes no permit: a destination at its limit makes only its own
     * mail wait.
     */
    private ConcurrencyLimits.Lease lease(String destination, AttemptBudget budget) throws InterruptedException {
        while (true) {
            ConcurrencyLimits.Lease lease = limits.tryAcquire(destination);
            if (lease != null) {
                return lease;
            }
            // An idle connection holds a permit: close one where that makes room, rather than wait for it to expire.
            boolean freed = limits.destinationFull(destination) ? cache.closeIdle(destination)
                    : limits.totalFull() && cache.closeOldest();
            if (freed) {
                continue;
            }
            long wait = Math.min(PERMIT_WAIT_MILLIS, budget.remainingMillis());
            if (wait <= 0) {
                return null;
            }
            lease = limits.acquire(destination, wait);
            if (lease != null) {
                return lease;
            }
        }
    }

    private static List<Outcome> all(List<Recipient> recipients, java.util.function.Function<Recipient, Outcome> f) {
        return recipients.stream().map(f).toList();
    }

    /** Connections open now, idle ones included (for tests and health reports). */
    public int openConnections() {
        return limits.open();
    }

    /** Closes the idle connections (with QUIT) and stops the timer; running deliveries finish on their own. */
    @Override
    public void close() {
        cache.close();
        timer.shutdownNow();
    }
}
