package dev.tern.delivery.smtp;

import dev.tern.config.DeliverySettings.TlsPolicy;

/**
 * Where one group of recipients goes: the MX hosts of a domain, a configured route, or the relay host.
 * Recipients with equal destinations share transactions, connections and one concurrency limit.
 *
 * @param key      the identity of the destination, e.g. {@code mx:example.com} or {@code relay:smart.example:587}
 * @param name     the domain (MX walk) or the host (route, relay host) to resolve
 * @param port     TCP port
 * @param viaMx    whether {@code name} is a mail domain to resolve by the MX walk, or a host by A/AAAA
 * @param tls      the TLS policy toward it
 * @param username AUTH user name, or null
 * @param password AUTH password, or null
 */
record Destination(String key, String name, int port, boolean viaMx, TlsPolicy tls, String username,
                   String password) {

    boolean hasCredentials() {
        return username != null;
    }

    @Override
    public String toString() {
        return key;
    }
}
