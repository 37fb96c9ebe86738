/** Listeners, the accept loop with connection permits, and the per-connection Session state machine. */
package dev.tern.smtp.server;
