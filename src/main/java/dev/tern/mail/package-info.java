/**
 * Value types that every other package shares: addresses (with SMTPUTF8/IDNA rules), domains, envelopes,
 * recipients and queue ids. JDK only; no I/O.
 */
package dev.tern.mail;
