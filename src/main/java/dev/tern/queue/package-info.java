/**
 * The durable spool (the only code that touches queue files): a file per message, and the journal that commits
 * small messages by one append to a shared segment until their first attempt ends; per-recipient state,
 * scheduling and retries.
 */
package dev.tern.queue;
