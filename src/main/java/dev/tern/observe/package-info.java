/**
 * The mail log (one line per message event, keyed by queue id) and the {@link dev.tern.observe.Metrics} seam that
 * the same places tell what happened, for the metrics listener ({@code dev.tern.metrics}).
 */
package dev.tern.observe;
