/**
 * SMTP TLS Reporting (RFC 8460): what the courier saw of TLS with each policy domain ({@link
 * dev.tern.tlsrpt.TlsResults}), gathered into daily aggregate reports for the domains that ask for them in
 * their {@code _smtp._tls} TXT record, and the reports other senders send about Tern's own domains.
 */
package dev.tern.tlsrpt;
