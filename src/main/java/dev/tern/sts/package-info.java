/**
 * SMTP MTA Strict Transport Security (RFC 8461): the policies other domains publish for mail sent to them
 * ({@link dev.tern.sts.StsPolicies}: the {@code _mta-sts} TXT record, the policy fetched over HTTPS, a cache on
 * disk that outlives restarts and DNS outages) and the policies Tern publishes for its own domains.
 * The courier asks it which MX host names a recipient domain allows and whether TLS must be verified.
 */
package dev.tern.sts;
