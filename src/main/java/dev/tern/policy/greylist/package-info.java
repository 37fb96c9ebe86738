/**
 * Greylisting (RFC 6647) as postgrey does it: the first attempt of a (client network, sender, recipient)
 * triplet is deferred, its retry after the delay passes, and a network whose retries passed often enough is
 * allowed outright. The triplets live in memory and in an append-only log in the data directory
 * ({@link dev.tern.policy.greylist.GreylistStore}), compacted through an atomic rewrite on start and when it
 * grows: an append per change is cheap where a rewrite of 100,000 entries per RCPT would not be, and a log
 * line torn by a crash is one triplet greylisted again, never a lost message.
 */
package dev.tern.policy.greylist;
