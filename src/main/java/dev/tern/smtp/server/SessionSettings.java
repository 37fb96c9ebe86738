package dev.tern.smtp.server;

import dev.tern.config.ListenerSettings;
import dev.tern.auth.Authenticator;
import dev.tern.config.MilterSettings;
import dev.tern.config.SmtpLimits;
import dev.tern.policy.SenderPolicy;
import dev.tern.policy.mailauth.InboundChecks;
import dev.tern.policy.greylist.Greylist;
import dev.tern.policy.mailauth.OutboundSigner;
import dev.tern.policy.ratelimit.RateLimits;
import dev.tern.policy.rules.RuleEngine;
import dev.tern.mail.IpNetwork;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;

/**
 * What every session of one listener shares.
 *
 * @param hostname          our name in the greeting, EHLO and {@code Received:}
 * @param role              the listener's role
 * @param limits            the named limits
 * @param postmasterDomain  the domain for a bare {@code RCPT TO:<Postmaster>} (RFC 5321 §4.5.1)
 * @param clock             time source for headers and logs
 * @param trustedNetworks   clients that may relay without authenticating (invariant 3); usually none
 * @param rules             the operator's filtering rules ({@code [[rule]]})
 * @param authenticator     SASL mechanisms and their throttle (RFC 4954), or null where AUTH is not offered
 * @param plaintextAuthOnLoopback whether AUTH may run without TLS for loopback clients (testing only)
 * @param senders           who an authenticated user may send as
 * @param inbound           SPF, DKIM and DMARC of mail from the world at the end of DATA, or null for none
 * @param signer            DKIM signing of mail from our users, or null for none
 * @param rateLimits        connection, message and recipient rates, or null for none
 * @param greylist          greylisting of first-time triplets, or null for none
 * @param listener          the listener's name (the milters' {@code {daemon_name}})
 * @param milters           the mail filters of this listener, in order ({@code [[milter]]}); usually none
 */
public record SessionSettings(String hostname, ListenerSettings.Role role, SmtpLimits limits,
                              String postmasterDomain, Clock clock, List<IpNetwork> trustedNetworks,
                              RuleEngine rules, Authenticator authenticator, boolean plaintextAuthOnLoopback,
                              SenderPolicy senders, InboundChecks inbound, OutboundSigner signer,
                              RateLimits rateLimits, Greylist greylist,
                              String listener, List<MilterSettings> milters) {

    public SessionSettings {
        trustedNetworks = List.copyOf(trustedNetworks);
        milters = List.copyOf(milters);
    }

    /** Settings without milters. */
    public SessionSettings(String hostname, ListenerSettings.Role role, SmtpLimits limits,
                           String postmasterDomain, Clock clock, List<IpNetwork> trustedNetworks,
                           RuleEngine rules, Authenticator authenticator, boolean plaintextAuthOnLoopback,
                           SenderPolicy senders, InboundChecks inbound, OutboundSigner signer) {
        this(hostname, role, limits, postmasterDomain, clock, trustedNetworks, rules, authenticator,
                plaintextAuthOnLoopback, senders, inbound, signer, null, null,
                role.name().toLowerCase(java.util.Locale.ROOT), List.of());
    }

    /** Settings without message authentication (no checks, no signing). */
    public SessionSettings(String hostname, ListenerSettings.Role role, SmtpLimits limits,
                           String postmasterDomain, Clock clock, List<IpNetwork> trustedNetworks,
                           RuleEngine rules, Authenticator authenticator, boolean plaintextAuthOnLoopback,
                           SenderPolicy senders) {
        this(hostname, role, limits, postmasterDomain, clock, trustedNetworks, rules, authenticator,
                plaintextAuthOnLoopback, senders, null, null);
    }

    /** The same settings with these checks and this signer (either may be null). */
    public SessionSettings withMessageAuthentication(InboundChecks checks, OutboundSigner dkimSigner) {
        return new SessionSettings(hostname, role, limits, postmasterDomain, clock, trustedNetworks, rules,
                authenticator, plaintextAuthOnLoopback, senders, checks, dkimSigner, rateLimits, greylist, listener,
                milters);
    }

    /** The same settings with these rate limits and this greylist (either may be null). */
    public SessionSettings withThrottles(RateLimits rates, Greylist grey) {
        return new SessionSettings(hostname, role, limits, postmasterDomain, clock, trustedNetworks, rules,
                authenticator, plaintextAuthOnLoopback, senders, inbound, signer, rates, grey, listener, milters);
    }

    /** The same settings with these milters, for the listener of this name. */
    public SessionSettings withMilters(String listenerName, List<MilterSettings> filters) {
        return new SessionSettings(hostname, role, limits, postmasterDomain, clock, trustedNetworks, rules,
                authenticator, plaintextAuthOnLoopback, senders, inbound, signer, rateLimits, greylist, listenerName,
                filters);
    }

    /** Whether the client may relay without authenticating. */
    public boolean isTrusted(InetAddress client) {
        for (IpNetwork network : trustedNetworks) {
            if (network.contains(client)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this listener is for the operator's users (RFC 6409): AUTH before MAIL. */
    public boolean isSubmission() {
        return role != ListenerSettings.Role.MX;
    }
}
