package dev.tern.delivery.smtp;

import dev.tern.config.DeliverySettings;
import dev.tern.config.DeliverySettings.TlsPolicy;
import dev.tern.dane.TlsaLookup;
import dev.tern.dns.Target;
import dev.tern.sts.StsLookup;
import dev.tern.sts.StsPolicy;
import dev.tern.tlsrpt.TlsOutcome.PolicyType;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decides, for one destination and one message, what TLS each of its servers must reach, and which servers must
 * not be used at all. The order of precedence:
 * <ol>
 *   <li>a route, the relay host, or a per-domain {@code [delivery.tls_policies]} entry: the operator's word;</li>
 *   <li>{@code TLS-Required: No} on the message (RFC 8689 §5): the recipient domain's policies are ignored;</li>
 *   <li>DANE, per MX host (RFC 7672); it wins over MTA-STS for a host that has usable TLSA records
 *       (RFC 8461 §2);</li>
 *   <li>the domain's MTA-STS policy (RFC 8461 §5): {@code enforce} keeps only the MX hosts it names and
 *       requires a verified certificate; {@code testing} delivers as without it and reports what would fail;</li>
 *   <li>the configured default ({@code [delivery] tls}).</li>
 * </ol>
 * A REQUIRETLS message (RFC 8689 §4.2.1) may only go to a host authenticated by DANE or named by an MTA-STS
 * policy, over a verified certificate; a host that cannot be is skipped with 5.7.30.
 */
final class TlsPlanner {

    private final DeliverySettings settings;
    private final OutboundSecurity security;

    TlsPlanner(DeliverySettings settings, OutboundSecurity security) {
        this.settings = settings;
        this.security = security;
    }

    /** What to do with one server: go with this TLS, or leave it out for this reason. */
    sealed interface HostPlan {
        record Use(HostTls tls) implements HostPlan {}

        /** @param policy the policy that left the host out, for the log */
        record Skip(String policy, Attempt.Next why) implements HostPlan {}
    }

    /** The plan for one destination: a decision per MX host, made once per attempt. */
    static final class Plan {
        private final Map<String, HostPlan> byHost = new HashMap<>();
        private final HostPlan fallback;

        private Plan(HostPlan fallback) {
            this.fallback = fallback;
        }

        HostPlan forTarget(Target target) {
            return byHost.getOrDefault(hostKey(target.host()), fallback);
        }
    }

    /**
     * @param d          the destination
     * @param targets    its servers, in the order they will be tried
     * @param requireTls the message carries REQUIRETLS and has a sender (RFC 8689 §4.2.1 exempts bounces)
     * @param tlsOptional the message asks with {@code TLS-Required: No} that recipient policies be ignored
     */
    Plan plan(Destination d, List<Target> targets, boolean requireTls, boolean tlsOptional) {
        if (!d.viaMx() || d.name().startsWith("[")) {
            return new Plan(configured(d.tls(), requireTls));
        }
        String domain = d.name().toLowerCase(Locale.ROOT);
        if (settings.tlsPolicies().containsKey(domain) || (tlsOptional && !requireTls)) {
            return new Plan(configured(d.tls(), false));
        }
        Supplier<StsLookup> sts = new Supplier<>() {
            private StsLookup found;

            @Override
            public StsLookup get() { // asked once, and only if some host has no DANE: a DANE domain costs no fetch
                if (found == null) {
                    found = stsLookup(domain);
                }
                return found;
            }
        };
        Plan plan = new Plan(null);
        for (Target t : targets) {
            plan.byHost.computeIfAbsent(hostKey(t.host()), h -> forHost(domain, t.host(), d, sts, requireTls));
        }
        return plan;
    }

    private StsLookup stsLookup(String domain) {
        StsLookup sts = security.sts().lookup(domain);
        if (sts instanceof StsLookup.Failed failed) {
            security.reports().record(new HostTls.Report(domain, PolicyType.STS, List.of(), null)
                    .outcome(failed.resultType(), null, null, null, failed.detail()));
        }
        return sts;
    }

    private HostPlan forHost(String domain, String host, Destination d, Supplier<StsLookup> sts,
                             boolean requireTls) {
        // The port connected to names the TLSA records: a TLSA RRset describes the TLS server at one port (RFC 6698
        // §3), so _25._tcp (RFC 7672 §2.2.3) unless mx_port says the MX hosts listen elsewhere, where they publish
        // their records too (as Postfix does with smtp_tcp_port). RecipientTlsPolicyTest and DaneDeliveryIT check it.
        TlsaLookup dane = security.dane().lookup(domain, host, d.port());
        String where = hostKey(host);
        switch (dane) {
            case TlsaLookup.Usable usable -> {
                return use(new HostTls("dane", HostTls.Level.DANE, usable, tlsaReport(domain, host, usable.usable())));
            }
            case TlsaLookup.Unusable unusable -> {
                // RFC 8460 §4.3.2.1: none of the records is valid, which the domain hears as tlsa-invalid; RFC 7672
                // §2.2: TLS is still mandatory, but nothing authenticates the server, so its session is not a
                // success of the DANE policy and goes unreported.
                security.reports().record(new HostTls.Report(domain, PolicyType.TLSA, List.of(), host)
                        .outcome("tlsa-invalid", null, host, null, unusable.detail()));
                HostTls tls = new HostTls("dane", HostTls.Level.ENCRYPT, null, null);
                return requireTls ? noRequireTls(where, "its TLSA records are all unusable") : use(tls);
            }
            case TlsaLookup.Failed failed -> {
                security.reports().record(new HostTls.Report(domain, PolicyType.TLSA, List.of(), host)
                        .outcome(failed.resultType(), null, host, null, failed.detail()));
                // RFC 7672 §2.2.1: a host whose TLSA records cannot be had now is used neither with nor without TLS.
                return new HostPlan.Skip("dane", Attempt.Next.temporary("4.7.5", "TLSA lookup for " + failed.tlsaName()
                        + " failed: " + failed.detail(), where));
            }
            case TlsaLookup.NotApplicable ignored -> {
                return withSts(domain, host, d, sts.get(), requireTls);
            }
        }
    }

    private HostPlan withSts(String domain, String host, Destination d, StsLookup sts, boolean requireTls) {
        String where = hostKey(host);
        if (sts instanceof StsLookup.Found found && found.policy().mode() != StsPolicy.Mode.NONE) {
            StsPolicy policy = found.policy();
            HostTls.Report report = new HostTls.Report(domain, PolicyType.STS, found.text().lines().toList(),
                    String.join(" ", policy.mxPatterns()));
            boolean enforce = policy.mode() == StsPolicy.Mode.ENFORCE;
            if (!policy.matches(host)) {
                security.reports().record(report.outcome("validation-failure", null, host, null,
                        host + " is not an mx of the policy"));
                if (enforce || requireTls) {
                    // RFC 8461 §4.1: a host the policy does not name is not a valid MX for the domain.
                    return new HostPlan.Skip("mta-sts", Attempt.Next.temporary("4.7.5", host + " is not an MX host "
                            + "that the MTA-STS policy of " + domain + " allows ("
                            + String.join(", ", policy.mxPatterns()) + ")", where));
                }
                return use(new HostTls("mta-sts-testing", HostTls.Level.MAY, null, report));
            }
            if (enforce || requireTls) {
                return use(new HostTls("mta-sts", HostTls.Level.VERIFY, null, report));
            }
            return use(new HostTls("mta-sts-testing", HostTls.Level.MAY_REPORTING, null, report));
        }
        if (requireTls) {
            return noRequireTls(where, domain + " has neither DANE nor an MTA-STS policy");
        }
        HostTls.Level level = level(d.tls());
        return use(new HostTls(word(d.tls()), level, null,
                new HostTls.Report(domain, PolicyType.NO_POLICY, List.of(), host)));
    }

    /** RFC 8689 §4.2.1: without an authenticated MX host and certificate the message may not go there. */
    private static HostPlan noRequireTls(String where, String why) {
        return new HostPlan.Skip("requiretls", Attempt.Next.permanent("5.7.30", "REQUIRETLS: " + where + " cannot be "
                + "authenticated: " + why, where));
    }

    /** The operator's policy; with REQUIRETLS at least a verified certificate. */
    private static HostPlan configured(TlsPolicy policy, boolean requireTls) {
        if (requireTls && policy != TlsPolicy.VERIFY) {
            return use(HostTls.configured("verify", HostTls.Level.VERIFY));
        }
        return use(HostTls.configured(word(policy), level(policy)));
    }

    private static HostTls.Report tlsaReport(String domain, String host, List<dev.tern.dns.TlsaRecord> records) {
        return new HostTls.Report(domain, PolicyType.TLSA, records.stream().map(Object::toString).toList(), host);
    }

    private static HostPlan use(HostTls tls) {
        return new HostPlan.Use(tls);
    }

    static String word(TlsPolicy policy) {
        return policy.name().toLowerCase(Locale.ROOT);
    }

    private static HostTls.Level level(TlsPolicy policy) {
        return switch (policy) {
            case NONE -> HostTls.Level.NONE;
            case MAY -> HostTls.Level.MAY;
            case ENCRYPT -> HostTls.Level.ENCRYPT;
            case VERIFY -> HostTls.Level.VERIFY;
        };
    }

    private static String hostKey(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
