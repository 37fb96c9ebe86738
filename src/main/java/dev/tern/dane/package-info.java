/**
 * SMTP security via opportunistic DANE TLS (RFC 7672): which MX hosts of a recipient domain publish TLSA
 * records in DNSSEC-signed zones ({@link dev.tern.dane.Dane}), and how a server's certificate chain is checked
 * against them (DANE-EE and DANE-TA, RFC 7671 §5). The courier asks it before each STARTTLS; DANE wins over
 * MTA-STS where both apply (RFC 8461 §2).
 */
package dev.tern.dane;
