/**
 * The one gateway to DNS: MX, A, AAAA, TXT, TLSA and PTR lookups whose results keep an answer, a name that does not
 * exist, a name without records of the type, and a temporary failure apart, plus the RFC 5321 §5.1 MX walk.
 *
 * <p>Lookups are dnsjava's {@code LookupSession} (CNAME and DNAME chains, loops), with Tern's {@link
 * dev.tern.dns.ResponseCache} in front of the network rather than dnsjava's {@code Cache}: the bound must be in
 * bytes ({@code [dns] cache_max_bytes}), since whoever sends us mail chooses the names we look up and one TXT
 * answer may hold tens of kilobytes, and dnsjava's {@code Cache} bounds only a count of names. It keeps that
 * count in a private map whose entries (and their sizes) a subclass cannot see or evict, so a byte bound would
 * mean keeping a second LRU beside it and flushing names by hand. The {@link dev.tern.dns.ResponseCache} keeps
 * whole responses per question, positive ones for their smallest TTL and NXDOMAIN/NODATA for the SOA's negative
 * TTL (RFC 2308 §5), never failures. The retry rounds stay Tern's too ({@link dev.tern.dns.Exchange}): dnsjava's
 * {@code ExtendedResolver} reorders servers by past failures and times a try out only to its selector's
 * one-second tick.
 */
package dev.tern.dns;
