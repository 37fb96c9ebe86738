package dev.tern.smtp.server;

import dev.tern.config.ListenerConfig;
import dev.tern.config.SmtpLimits;
import java.time.Clock;

/**
 * What every session of one listener shares.
 *
 * @param hostname          our name in the greeting, EHLO and {@code Received:}
 * @param role              the listener's role
 * @param limits            the named limits
 * @param postmasterDomain  the domain for a bare {@code RCPT TO:<Postmaster>} (RFC 5321 §4.5.1)
 * @param clock             time source for headers and logs
 */
public record SessionSettings(String hostname, ListenerConfig.Role role, SmtpLimits limits,
                              String postmasterDomain, Clock clock) {
}
