/**
 * DNS on loopback for tests: {@link dev.tern.testdns.TestDnsServer}, a recursive-looking server answering from
 * in-memory records (with the AD bit on request); {@link dev.tern.testdns.SignedZone}, a zone DNSSEC-signed in
 * the test, which the same server serves as its authoritative server; and {@link dev.tern.testdns.Unbound},
 * Debian's validating resolver in front of it, for tests of everything that asks DNS, DANE included.
 */
package dev.tern.testdns;
