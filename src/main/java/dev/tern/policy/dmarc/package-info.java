/**
 * DMARC (RFC 7489) for received mail: the Organizational Domain from the Public Suffix List, policy discovery
 * through the {@code dns} gateway, identifier alignment of the SPF and DKIM results with the RFC5322.From
 * domain, the Authentication-Results header field (RFC 8601) and the decision the session acts on.
 */
package dev.tern.policy.dmarc;
