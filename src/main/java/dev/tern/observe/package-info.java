/**
 * The mail log (one line per message event, keyed by queue id) and the {@link dev.tern.observe.Metrics} seam that
 * the same places tell what happened, for the metrics listener ({@code dev.tern.metrics}); the log's own pieces
 * for logback.xml (the asynchronous {@link dev.tern.observe.BatchingAppender}, escaping converters, JSON lines).
 */
package dev.tern.observe;
