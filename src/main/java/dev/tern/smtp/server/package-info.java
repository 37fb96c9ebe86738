/**
 * Listeners: the threads that accept connections and serve them (platform threads while few, virtual ones past
 * them), the connection permits, and the per-connection Session state machine.
 */
package dev.tern.smtp.server;
