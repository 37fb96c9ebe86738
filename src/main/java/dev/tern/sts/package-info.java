/**
 * SMTP MTA Strict Transport Security (RFC 8461): the policies other domains publish for mail sent to them
 * ({@link dev.tern.sts.StsPolicies}, in production {@link dev.tern.sts.HttpsStsPolicies}: the {@code _mta-sts} TXT
 * record, the policy fetched over HTTPS with a verified certificate and size and time limits, a cache on disk that
 * outlives restarts and DNS outages) and the policy Tern publishes for its own domains
 * ({@link dev.tern.sts.PublishedPolicy}, served by the optional {@link dev.tern.sts.PolicyServer}).
 * The courier asks it which MX host names a recipient domain allows and whether TLS must be verified.
 */
package dev.tern.sts;
