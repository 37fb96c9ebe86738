/**
 * The SMTP client that carries mail to other servers: the MX walk of RFC 5321 §5.1 (or a relay host, or a
 * route per domain), STARTTLS by a per-destination TLS policy, AUTH toward a relay host, pipelining,
 * chunking, DSN and SMTPUTF8 parameters passed on, per-destination concurrency and connection reuse.
 */
package dev.tern.delivery.smtp;
