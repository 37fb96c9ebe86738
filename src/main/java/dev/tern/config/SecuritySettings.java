package dev.tern.config;

import dev.tern.mail.IpNetwork;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * TLS certificates, relay permission and sender identity: what makes Tern safe to expose (RFC 3207, RFC 8314,
 * RFC 6409).
 *
 * @param certificates    one certificate per host name (the first is the default); empty: a self-signed
 *                        certificate for the hostname is made in {@code <data>/tls} on first start
 * @param trustedNetworks client networks (CIDR) that may relay without authenticating; default none
 * @param allowedSenders  per user, extra sender addresses ({@code a@example.org}) or domains
 *                        ({@code @example.org}) beyond the user's own address and aliases
 */
public record SecuritySettings(List<CertificateFiles> certificates, List<IpNetwork> trustedNetworks,
                               Map<String, List<String>> allowedSenders) {

    public SecuritySettings {
        certificates = List.copyOf(certificates);
        trustedNetworks = List.copyOf(trustedNetworks);
        allowedSenders = Map.copyOf(allowedSenders);
    }

    public static SecuritySettings defaults() {
        return new SecuritySettings(List.of(), List.of(), Map.of());
    }

    /** A certificate chain and its key as certbot writes them. */
    public record CertificateFiles(Path fullchain, Path privkey) { }
}
