/**
 * The load generator behind {@code tern bench}: concurrent SMTP clients on plain blocking sockets (one
 * virtual thread each), generated RFC 5322 messages, latency statistics and a Maildir delivery counter.
 */
package dev.tern.admin.bench;
