package dev.tern.app;

import dev.tern.acme.AcmeCertificates;
import dev.tern.auth.AuthThrottle;
import dev.tern.auth.Authenticator;
import dev.tern.auth.CheckLimiter;
import dev.tern.auth.PasswordHasher;
import dev.tern.auth.ServerSecret;
import dev.tern.config.AuthSettings;
import dev.tern.config.DnsSettings;
import dev.tern.config.ListenerSettings;
import dev.tern.config.LmtpSettings;
import dev.tern.config.SecuritySettings;
import dev.tern.config.SrsSecretFile;
import dev.tern.config.SrsSettings;
import dev.tern.config.TernConfig;
import dev.tern.delivery.Courier;
import dev.tern.delivery.Forwarder;
import dev.tern.delivery.ForwardingCourier;
import dev.tern.delivery.RoutingCourier;
import dev.tern.dane.DnsDane;
import dev.tern.delivery.smtp.OutboundSecurity;
import dev.tern.delivery.lmtp.LmtpCourier;
import dev.tern.delivery.lmtp.LmtpProbe;
import dev.tern.delivery.smtp.SmtpCourier;
import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.dns.ResolverSettings;
import dev.tern.dns.ResponseCache;
import dev.tern.mail.Domain;
import dev.tern.policy.MailboxCheck;
import dev.tern.policy.SenderPolicy;
import dev.tern.policy.greylist.Greylist;
import dev.tern.policy.mailauth.InboundChecks;
import dev.tern.policy.mailauth.OutboundSigner;
import dev.tern.policy.ratelimit.RateLimits;
import dev.tern.policy.rules.RuleEngine;
import dev.tern.smtp.server.SessionSettings;
import dev.tern.sts.HttpsStsPolicies;
import dev.tern.sts.StsPolicies;
import dev.tern.tlsrpt.TlsResults;
import dev.tern.srs.Srs;
import dev.tern.store.FileDirectory;
import dev.tern.store.MailboxQuota;
import dev.tern.tls.ReloadingCertificate;
import dev.tern.tls.ServerTls;
import dev.tern.tls.TlsCertificates;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.LoggerFactory;

/**
 * The objects built from one configuration that a reload replaces as a whole: each listener's session
 * settings (limits, rules, sender rules, authentication, SPF/DKIM/DMARC, signing), the TLS context, the DNS
 * resolver and the outbound couriers (routes, relay host, TLS policy, concurrency). A new session or delivery
 * attempt takes the generation current when it starts and keeps it to its end.
 *
 * <p>A table added to the configuration later is reloaded without further code when whatever reads it is
 * built here (or reads {@link #config()} when it runs); one that can only be built once, with the process,
 * is named in {@link Reload#RESTART}.
 */
final class Generation {

    private final TernConfig config;
    private final DnsResolver dns;
    private final SmtpCourier smtp;
    /** The recipient domains' MTA-STS policies; its HTTP client closes with the couriers. */
    private final StsPolicies sts;
    private final Courier courier;
    private final ServerTls tls;
    private final Authenticator authenticator;
    private final Srs srs;
    /** The RCPT-time questions to the LMTP server ({@code [lmtp] rcpt_check}), or null. */
    private LmtpProbe probe;
    private final Map<String, SessionSettings> sessions = new HashMap<>();

    /** What lives as long as the process and every generation shares. */
    record Shared(FileDirectory directory, Courier local, Clock clock, RateLimits rateLimits, Greylist greylist,
                  UnaryOperator<DnsResolver> meteredDns, TlsResults tlsResults, MailboxQuota quota,
                  Forwarder forwarder) {
    }

    private Generation(TernConfig config, DnsResolver dns, SmtpCourier smtp, StsPolicies sts, Courier courier,
                       ServerTls tls, Authenticator authenticator, Srs srs) {
        this.srs = srs;
        this.config = config;
        this.dns = dns;
        this.smtp = smtp;
        this.sts = sts;
        this.courier = courier;
        this.tls = tls;
        this.authenticator = authenticator;
    }

    /**
     * Builds every object of {@code config}; nothing is started, so a failure (a certificate file that does
     * not load, a CA file) leaves no thread behind and the running generation untouched.
     *
     * @param previous the generation running now, or null at start: its authenticator is kept while
     *                 {@code [auth]} is unchanged, so a reload does not forget the failures it counted
     */
    static Generation build(TernConfig config, Shared shared, Generation previous) throws IOException {
        DnsResolver dns = shared.meteredDns().apply(resolver(config.dns()));
        ServerTls tls = serverTls(config);
        Authenticator authenticator = previous != null && previous.config.auth().equals(config.auth())
                ? previous.authenticator : authenticator(config, shared.directory());
        StsPolicies sts = HttpsStsPolicies.configured(config.mtaSts(), dns, config.dataDir().resolve("mta-sts"),
                config.delivery().caFile());
        SmtpCourier smtp = new SmtpCourier(config.delivery(), config.hostname(), dns, config.delivery().mxPort(),
                new OutboundSecurity(sts, DnsDane.create(config.dane(), config.dns(), dns), shared.tlsResults()));
        RoutingCourier routing = routing(config, shared, smtp);
        Srs srs = srs(config, shared.clock());
        Courier courier = new ForwardingCourier(shared.directory(), srs, shared.forwarder(), routing, shared.clock());
        Generation g = new Generation(config, dns, smtp, sts, courier, tls, authenticator, srs);
        LmtpSettings lmtp = config.lmtp();
        g.probe = lmtp.rcptCheck() ? new LmtpProbe(lmtp, config.hostname(), shared.directory()) : null;
        try {
            g.buildSessions(shared);
        } catch (IOException | RuntimeException e) {
            g.closeCouriers(); // the timer thread and the HTTP client, never used
            throw e;
        }
        return g;
    }

    /** Local domains to Maildir or, as {@code [lmtp]} says, to the mailbox server; the rest over SMTP. */
    private static RoutingCourier routing(TernConfig config, Shared shared, SmtpCourier smtp) {
        LmtpSettings lmtp = config.lmtp();
        if (!lmtp.enabled()) {
            return new RoutingCourier(shared.directory(), shared.local(), smtp, config.delivery().localThreads());
        }
        return new RoutingCourier(shared.directory(), shared.local(),
                new LmtpCourier(lmtp, config.hostname(), shared.directory()), lmtp::serves, smtp,
                config.delivery().localThreads());
    }

    private void buildSessions(Shared shared) throws IOException {
        RuleEngine rules = new RuleEngine(config.rules());
        SenderPolicy senders = new SenderPolicy(shared.directory(), config.security().allowedSenders());
        // One of each for all sessions: both are thread-safe, and the key store caches the loaded keys.
        InboundChecks checks = InboundChecks.configured(config.mailAuth(), config.dkim(), config.hostname(),
                dns, shared.clock());
        OutboundSigner signer = config.dkim().sign()
                ? OutboundSigner.configured(config.dkim(), config.dataDir(), shared.clock()) : null;
        for (ListenerSettings listener : config.listeners()) {
            sessions.put(listener.name(), new SessionSettings(config.hostname(), listener.role(), config.limits(),
                    postmasterDomain(config), shared.clock(), config.security().trustedNetworks(), rules,
                    authenticator, config.auth().allowPlaintextOnLoopback(), senders)
                    .withMessageAuthentication(checks, signer)
                    .withThrottles(shared.rateLimits(), shared.greylist())
                    .withMilters(listener.name(), config.milters().stream().filter(m -> m.appliesTo(listener.name())).toList()));
        }
    }

    /** The SRS codec of {@code [srs]}, or null while it is off; the secrets file is read now. */
    static Srs srs(TernConfig config, Clock clock) throws IOException {
        SrsSettings settings = config.srs();
        if (!settings.enabled()) {
            return null;
        }
        return new Srs(SrsSecretFile.read(settings.secretFile()),
                Domain.of(settings.domainOr(config.domains(), config.hostname())),
                (int) settings.maxAge().toDays(), clock);
    }

    /** The SRS codec of this configuration, or null while {@code [srs]} is off. */
    Srs srs() {
        return srs;
    }

    static String postmasterDomain(TernConfig config) {
        return config.domains().isEmpty() ? "localhost" : config.domains().get(0);
    }

    /** A resolver with its own cache, as {@code [dns]} says. */
    static DnsResolver resolver(DnsSettings dns) {
        return new DnsjavaResolver(dnsSettings(dns), new ResponseCache(dns.cacheMaxBytes()));
    }

    private static ResolverSettings dnsSettings(DnsSettings dns) {
        return new ResolverSettings(dns.useSystemServers() ? ResolverSettings.system().servers() : dns.servers(),
                dns.timeout(), dns.retries());
    }

    /** One authenticator for all listeners, so its throttle sees every attempt from an address. */
    private static Authenticator authenticator(TernConfig config, FileDirectory directory) throws IOException {
        AuthSettings settings = config.auth();
        AuthThrottle throttle = new AuthThrottle(new AuthThrottle.Policy(settings.maxFailures(),
                settings.failureWindow(), settings.lockout(), settings.delayBase(), settings.delayMax(),
                settings.accountDelayMax()));
        byte[] secret = ServerSecret.loadOrCreate(config.dataDir().resolve("auth-secret"));
        return new Authenticator(directory, new PasswordHasher(), throttle, secret,
                new CheckLimiter(settings.maxParallelChecks(), settings.checkWait()), settings.scramIterations());
    }

    /**
     * The certificates of {@code [tls]}, watched for renewal; with none configured, a self-signed certificate
     * for the hostname kept in {@code <data>/tls} so STARTTLS works out of the box.
     */
    private static ServerTls serverTls(TernConfig config) throws IOException {
        List<ReloadingCertificate> certificates = new ArrayList<>();
        for (SecuritySettings.CertificateFiles files : config.security().certificates()) {
            certificates.add(TlsCertificates.watch(files.fullchain(), files.privkey()));
        }
        if (config.acme().enabled()) {
            // Watched like any certificate: AcmeRenewal's renewal is served from the next handshake on.
            AcmeCertificates acme = new AcmeCertificates(config.dataDir(), config.acme().namesOr(config.hostname()).get(0));
            ReloadingCertificate placeholder = TlsCertificates.selfSigned(config.dataDir().resolve("tls"), config.hostname());
            acme.prepare(placeholder.chainFile(), placeholder.keyFile());
            certificates.add(TlsCertificates.watch(acme.fullchain(), acme.privkey()));
        }
        if (certificates.isEmpty()) {
            certificates.add(TlsCertificates.selfSigned(config.dataDir().resolve("tls"), config.hostname()));
        }
        try {
            return ServerTls.create(certificates);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    TernConfig config() {
        return config;
    }

    /** The settings a new session of {@code listener} starts with. */
    SessionSettings session(String listener) {
        SessionSettings settings = sessions.get(listener);
        if (settings == null) {
            throw new IllegalStateException("no listener " + listener + " in this configuration");
        }
        return settings;
    }

    ServerTls tls() {
        return tls;
    }

    Courier courier() {
        return courier;
    }

    /** What the mailbox server says about a recipient at RCPT time; nobody is asked unless {@code rcpt_check}. */
    MailboxCheck mailboxes() {
        LmtpProbe asked = probe;
        return asked == null ? MailboxCheck.NONE : recipient -> answer(asked.check(recipient));
    }

    private static MailboxCheck.Answer answer(LmtpProbe.Answer answer) {
        return switch (answer.kind()) {
            case NOT_SERVED -> MailboxCheck.Answer.NOT_ASKED;
            case EXISTS -> MailboxCheck.Answer.EXISTS;
            case UNKNOWN -> MailboxCheck.Answer.unknown(answer.reason());
            case FULL -> MailboxCheck.Answer.full(answer.reason());
            case UNAVAILABLE -> MailboxCheck.Answer.unavailable(answer.reason());
        };
    }

    /** Closes the outbound connections kept for reuse; called once no attempt uses this generation. */
    void closeCouriers() {
        smtp.close();
        if (probe != null) {
            probe.close();
        }
        if (sts instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(Generation.class).warn("closing the MTA-STS client: {}", e.toString());
            }
        }
    }
}
