/** A real DNS server on loopback serving in-memory zones, for tests of everything that asks DNS. */
package dev.tern.testdns;
