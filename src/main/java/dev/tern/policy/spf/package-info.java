/**
 * Sender Policy Framework (RFC 7208): the {@code check_host()} function for the MAIL FROM and HELO identities,
 * asking DNS only through the {@code dns} gateway.
 */
package dev.tern.policy.spf;
