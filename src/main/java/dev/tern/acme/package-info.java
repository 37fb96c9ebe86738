/**
 * Certificates from an ACME CA (RFC 8555), such as Let's Encrypt, kept renewed while Tern runs.
 *
 * <p>{@link AcmeCertificates} owns the files, in certbot's layout ({@code <data_dir>/acme/live/<name>/fullchain.pem}
 * and {@code privkey.pem}), which {@code tls} watches like any configured certificate: a renewal written here is
 * served from the next handshake, with no restart and no call between the packages. Until the first
 * certificate is issued the files hold a copy of the self-signed one, so TLS works from the first second.
 * {@link AcmeOrder} speaks ACME through acme4j (account, order, http-01 challenge, CSR, download);
 * {@link ChallengeResponder} answers the CA's http-01 requests (RFC 8555 §8.3); {@link AcmeRenewal} looks at the
 * expiry every {@code check_interval} and orders a new certificate {@code renew_before} it.
 */
package dev.tern.acme;
