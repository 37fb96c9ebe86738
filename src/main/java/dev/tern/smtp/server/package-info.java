/**
 * Listeners, the accept loop with connection permits, the threads sessions run on (platform threads while few,
 * virtual ones past them), and the per-connection Session state machine.
 */
package dev.tern.smtp.server;
