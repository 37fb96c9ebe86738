/**
 * Control of a running server by its operator: a Unix domain socket ({@code <dataDir>/control.sock}, mode 600)
 * taking one-line text requests ({@code HOLD <id> reason}) and giving one-line replies ({@code OK ...} or
 * {@code ERR ...}), so that {@code tern queue} changes the queue through the runner instead of racing it.
 */
package dev.tern.control;
