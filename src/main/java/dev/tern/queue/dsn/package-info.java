/**
 * Delivery status notifications: the multipart/report messages of RFC 3464 and RFC 6522 that tell a sender
 * what became of a message (failed, delayed, delivered, relayed), built and committed to the spool with the
 * null reverse-path, honouring the DSN extension's NOTIFY, RET, ENVID and ORCPT (RFC 3461).
 */
package dev.tern.queue.dsn;
