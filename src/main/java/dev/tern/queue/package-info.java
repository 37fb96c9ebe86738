/** The durable spool (the only code that touches queue files), per-recipient state, scheduling and retries. */
package dev.tern.queue;
