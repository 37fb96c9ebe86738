package dev.tern.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Every setting of a Tern instance. Immutable; defaults live in code ({@link #defaults}); a TOML file
 * overrides them key by key and is validated at load ({@link ConfigLoader}).
 *
 * @param hostname   the name Tern uses in its greeting, EHLO reply and {@code Received:} headers
 * @param dataDir    where the spool, mailboxes, users and keys live
 * @param domains    local domains named in the config file (the CLI may add more in the data directory)
 * @param listeners  the SMTP listeners
 * @param limits     SMTP session limits ({@code [limits]})
 * @param queue      queue settings ({@code [queue]})
 * @param security   TLS certificates, relay permission, sender identity ({@code [tls]}, {@code [relay]}, {@code [submission]})
 * @param auth       SMTP AUTH throttling ({@code [auth]})
 * @param rules      filtering rules ({@code [[rule]]})
 * @param mailAuth   what SPF, DKIM and DMARC results do to received mail ({@code [mailauth]}, {@code [dmarc]})
 * @param delivery   outbound delivery: timeouts, concurrency, TLS policy, relay host, routes ({@code [delivery]})
 * @param dns        DNS servers and timeouts ({@code [dns]})
 * @param bounce     bounce messages and delay warnings ({@code [bounce]})
 * @param dkim       DKIM signing of our users' mail and verification of received mail ({@code [dkim]})
 * @param acme       certificates from an ACME CA ({@code [acme]})
 * @param rateLimits connections, messages and recipients per client network and per user ({@code [rate_limits]})
 * @param greylist   greylisting of first-time triplets on the MX ({@code [greylist]})
 * @param milters    mail filters asked at each stage, in order ({@code [[milter]]})
 * @param screen     the MX's checks before the greeting and at RCPT: network lists, greet pause, DNS lists ({@code [screen]})
 * @param service    graceful stop and log format ({@code [shutdown]}, {@code [log]})
 * @param metrics    the metrics and health listener ({@code [metrics]})
 * @param mtaSts     MTA-STS: the policies of the domains we send to, and ours ({@code [mta_sts]})
 * @param dane       whether outbound delivery uses DANE ({@code [dane]})
 * @param tlsReports the daily TLS reports of RFC 8460 ({@code [tls_reports]})
 * @param srs        forwarding with the Sender Rewriting Scheme ({@code [srs]})
 * @param mailbox    Tern's own Maildir delivery: the default quota ({@code [mailbox]})
 * @param lmtp       local mail handed to an LMTP server such as Dovecot ({@code [lmtp]})
 */
public record TernConfig(
        String hostname,
        Path dataDir,
        List<String> domains,
        List<ListenerSettings> listeners,
        SmtpLimits limits,
        QueueSettings queue,
        SecuritySettings security,
        AuthSettings auth,
        RuleSettings rules,
        MailAuthSettings mailAuth,
        DeliverySettings delivery,
        DnsSettings dns,
        BounceSettings bounce,
        DkimSettings dkim,
        AcmeSettings acme,
        RateLimitSettings rateLimits,
        GreylistSettings greylist,
        List<MilterSettings> milters,
        ScreenSettings screen,
        ServiceSettings service,
        MetricsSettings metrics,
        MtaStsSettings mtaSts,
        DaneSettings dane,
        TlsReportSettings tlsReports,
        SrsSettings srs,
        MailboxSettings mailbox,
        LmtpSettings lmtp) {

    public TernConfig {
        domains = List.copyOf(domains);
        listeners = List.copyOf(listeners);
    }

    /**
     * The embedded default: unprivileged loopback ports (MX 2525, submission 5587 with STARTTLS, submissions
     * 4465 with implicit TLS), domain {@code localhost}, data in {@code dataDir}.
     */
    public static TernConfig defaults(String hostname, Path dataDir) {
        return new TernConfig(hostname, dataDir, List.of("localhost"),
                List.of(new ListenerSettings("mx", ListenerSettings.Role.MX, "127.0.0.1", 2525),
                        new ListenerSettings("submission", ListenerSettings.Role.SUBMISSION, "127.0.0.1", 5587),
                        new ListenerSettings("submissions", ListenerSettings.Role.SUBMISSIONS, "127.0.0.1", 4465)),
                SmtpLimits.defaults(),
                QueueSettings.defaults(),
                SecuritySettings.defaults(),
                AuthSettings.defaults(),
                RuleSettings.defaults(),
                MailAuthSettings.defaults(),
                DeliverySettings.defaults(),
                DnsSettings.defaults(),
                BounceSettings.defaults(),
                DkimSettings.defaults(),
                AcmeSettings.defaults(),
                RateLimitSettings.defaults(),
                GreylistSettings.defaults(),
                List.of(),
                ScreenSettings.defaults(),
                ServiceSettings.defaults(),
                MetricsSettings.defaults(),
                MtaStsSettings.defaults(),
                DaneSettings.defaults(),
                TlsReportSettings.defaults(),
                SrsSettings.defaults(),
                MailboxSettings.defaults(),
                LmtpSettings.defaults());
    }

    public TernConfig withDataDir(Path value) {
        return new TernConfig(hostname, value, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withListeners(List<ListenerSettings> value) {
        return new TernConfig(hostname, dataDir, domains, value, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withLimits(SmtpLimits value) {
        return new TernConfig(hostname, dataDir, domains, listeners, value, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withQueue(QueueSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, value, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withSecurity(SecuritySettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, value, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withAuth(AuthSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, value, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withRules(RuleSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, value, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withMailAuth(MailAuthSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, value, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withDelivery(DeliverySettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, value, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withDns(DnsSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, value, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withBounce(BounceSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, value, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withDkim(DkimSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, value, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withAcme(AcmeSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, value, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withRateLimits(RateLimitSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, value, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withGreylist(GreylistSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, value, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withMilters(List<MilterSettings> value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, value, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withScreen(ScreenSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, value, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withService(ServiceSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, value, metrics, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withMetrics(MetricsSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, value, mtaSts, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withMtaSts(MtaStsSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, value, dane, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withDane(DaneSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, value, tlsReports, srs, mailbox, lmtp);
    }

    public TernConfig withTlsReports(TlsReportSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, value, srs, mailbox, lmtp);
    }

    public TernConfig withSrs(SrsSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, value, mailbox, lmtp);
    }

    public TernConfig withMailbox(MailboxSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, value, lmtp);
    }

    public TernConfig withLmtp(LmtpSettings value) {
        return new TernConfig(hostname, dataDir, domains, listeners, limits, queue, security, auth, rules, mailAuth, delivery, dns, bounce, dkim, acme, rateLimits, greylist, milters, screen, service, metrics, mtaSts, dane, tlsReports, srs, mailbox, value);
    }
}
