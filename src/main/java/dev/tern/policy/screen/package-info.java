/**
 * The MX listener's screen of its clients, Postfix postscreen's ideas: a network allow/deny list at connect, a
 * greet pause (with a {@code 220-} first line) that finds the bots that talk before the greeting, DNS block and
 * allow lists with weights and answer filters queried in parallel while the client waits (RFC 5782), and the
 * right-hand-side lists for the HELO name and the sender's domain at RCPT.
 *
 * <p>Clients that passed the pause are remembered in {@code screen-cache} in the data directory as an append-only
 * log compacted (through {@code io.AtomicFiles}) when it opens and when it reaches twice its bound. A log, rather
 * than the whole cache rewritten atomically at each pass, because a pass is a frequent event on a busy MX and
 * rewriting up to {@code cache_max_entries} lines each time would cost more than the pause it saves; appends are
 * not fsync'd, since a pass lost in a crash only makes that client wait once more. A line cut short by a crash is
 * skipped when the log is read.
 */
package dev.tern.policy.screen;
