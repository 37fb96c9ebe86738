/** Hostile remote SMTP servers on loopback, for tests that the SMTP client cannot be held by a peer. */
package dev.tern.testpeer;
