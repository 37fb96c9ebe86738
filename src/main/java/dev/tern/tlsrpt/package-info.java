/**
 * SMTP TLS Reporting (RFC 8460): what the courier saw of TLS with each policy domain ({@link
 * dev.tern.tlsrpt.TlsResults}), counted per UTC day by {@link dev.tern.tlsrpt.TlsReporting} and gathered into
 * daily aggregate reports for the domains that ask for them in their {@code _smtp._tls} TXT record (mailed
 * through {@link dev.tern.tlsrpt.ReportMailer}, POSTed over HTTPS), and the reports other senders send about
 * Tern's own domains ({@link dev.tern.tlsrpt.ReceivedReports}, for {@code tern tls-report}).
 */
package dev.tern.tlsrpt;
