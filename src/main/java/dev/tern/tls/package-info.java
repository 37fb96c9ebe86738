/**
 * TLS for the SMTP listeners: certificates and keys from PEM files (as certbot writes them), one per host
 * name chosen by SNI, reloaded when the files change, a self-signed certificate when none is configured,
 * and the server {@code SSLContext} with its protocol and cipher-suite policy (RFC 3207 STARTTLS,
 * RFC 8314 implicit TLS).
 */
package dev.tern.tls;
