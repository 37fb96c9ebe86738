/** The mail log (one line per message event, keyed by queue id), and later metrics and health. */
package dev.tern.observe;
