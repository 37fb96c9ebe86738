package dev.tern.config;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Whether outbound delivery uses DANE (RFC 7672), read from {@code [dane]} by {@link DaneReader}.
 *
 * <p>DANE trusts the AD bit of the recursive resolver's answers, and that bit is only as good as the path it
 * travels (RFC 7672 §8.2, RFC 6698 §4.1): an attacker between Tern and a resolver elsewhere on the network can
 * set it on forged TLSA records, or clear it to turn DANE off. So {@link Mode#AUTO}, the default, uses DANE only
 * when every {@code [dns] servers} address is a loopback address, where the validating resolver runs on this
 * host (a local unbound). The system's resolvers ({@code servers} empty) do not count: {@code /etc/resolv.conf}
 * may name a stub such as systemd-resolved's 127.0.0.53 that passes answers through without validating them
 * the way DANE needs, and Tern cannot tell which.
 *
 * @param mode {@code enabled}: on, off, or decided from {@code [dns] servers}
 */
public record DaneSettings(Mode mode) {

    /** {@code enabled = true}, {@code false} or {@code "auto"}. */
    public enum Mode { AUTO, ON, OFF }

    public DaneSettings {
        java.util.Objects.requireNonNull(mode, "mode");
    }

    public static DaneSettings defaults() {
        return new DaneSettings(Mode.AUTO);
    }

    /** Whether DANE is used with these DNS servers. */
    public boolean activeWith(DnsSettings dns) {
        return switch (mode) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> allLoopback(dns.servers());
        };
    }

    /** Why {@link #activeWith} says what it says, for the log at start and reload. */
    public String reason(DnsSettings dns) {
        return switch (mode) {
            case ON -> "[dane] enabled = true";
            case OFF -> "[dane] enabled = false";
            case AUTO -> dns.useSystemServers() ? "[dns] servers is empty: the system resolvers are not trusted to validate"
                    : allLoopback(dns.servers()) ? "every [dns] server is on loopback"
                    : "a [dns] server is not on loopback";
        };
    }

    private static boolean allLoopback(List<InetSocketAddress> servers) {
        return !servers.isEmpty() && servers.stream().allMatch(s -> s.getAddress() != null
                && s.getAddress().isLoopbackAddress());
    }
}
