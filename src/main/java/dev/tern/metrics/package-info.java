/**
 * Metrics and health for operators: Micrometer meters written in the Prometheus text format on the
 * {@code [metrics]} listener ({@code /metrics}, {@code /healthz}, {@code /readyz}), off by default.
 *
 * <p>Where the numbers come from. The mail log already says most events once, so counting by watching its lines
 * was the first idea: one hook in {@code observe.MailLog} instead of calls in several files. It was not taken:
 * the log's words are for people and overloaded ({@code deferred} is both a 451 at DATA and a queued
 * recipient's retry), the values a meter needs (a delay, a domain, a reply code) would have to be parsed back
 * out of text or looked up by key, and replies and TLS handshakes are not logged at all. So the code that writes
 * a log line also tells {@link dev.tern.observe.Metrics}, a typed seam with enums, beside it: one line at each of
 * eight places (accept, reply, end of data, TLS, AUTH, mail authentication, delivery outcome), and a no-op
 * while metrics are off. {@link dev.tern.metrics.MeterMetrics} registers every meter at start, so the hot path
 * (a reply) is an array index and an increment; DNS is metered by a decorator ({@link
 * dev.tern.metrics.MeteredResolver}) so the {@code dns} package stays free of it, and the queue gauges are
 * read once per scrape, not kept up to date per message.
 */
package dev.tern.metrics;
