package dev.tern.smtp.server;

import dev.tern.config.ListenerConfig;
import dev.tern.auth.Authenticator;
import dev.tern.config.SmtpLimits;
import dev.tern.policy.SenderPolicy;
import dev.tern.policy.rules.RuleEngine;
import dev.tern.config.IpNetwork;
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
 */
public record SessionSettings(String hostname, ListenerConfig.Role role, SmtpLimits limits,
                              String postmasterDomain, Clock clock, List<IpNetwork> trustedNetworks,
                              RuleEngine rules, Authenticator authenticator, boolean plaintextAuthOnLoopback,
                              SenderPolicy senders) {

    public SessionSettings {
        trustedNetworks = List.copyOf(trustedNetworks);
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
        return role != ListenerConfig.Role.MX;
    }
}
