package dev.tern.config;

import dev.tern.mail.IpNetwork;
import java.time.Duration;
import java.util.List;

/**
 * One listening socket.
 *
 * @param name          a label for logs ({@code mx}, {@code submission}...)
 * @param role          what the listener is for
 * @param address       the IP address to bind
 * @param port          the TCP port (0 picks a free one, for tests)
 * @param proxy         whether connections come through a load balancer that sends a PROXY protocol header
 *                      (HAProxy's v1 or v2) naming the real client, or {@link Proxy#NONE}
 */
public record ListenerSettings(String name, Role role, String address, int port, Proxy proxy) {

    /** MX receives mail for local domains (RFC 5321); the submission roles come with AUTH (RFC 6409, 8314). */
    public enum Role { MX, SUBMISSION, SUBMISSIONS }

    /** Postfix's {@code smtpd_upstream_proxy_timeout}. */
    public static final Duration DEFAULT_PROXY_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The PROXY protocol on a listener.
     *
     * @param enabled  whether every connection must begin with a PROXY header
     * @param networks the proxies' own addresses: a connection from anywhere else is refused, since whoever
     *                 can send the header chooses the client address that limits, SPF and relay rights see
     * @param timeout  how long the header may take to arrive
     */
    public record Proxy(boolean enabled, List<IpNetwork> networks, Duration timeout) {
        public static final Proxy NONE = new Proxy(false, List.of(), DEFAULT_PROXY_TIMEOUT);

        public Proxy {
            networks = List.copyOf(networks);
        }

        /** Whether a connection from this address may send the header. */
        public boolean trusts(java.net.InetAddress peer) {
            return networks.stream().anyMatch(n -> n.contains(peer));
        }
    }

    /** A listener that clients reach directly. */
    public ListenerSettings(String name, Role role, String address, int port) {
        this(name, role, address, port, Proxy.NONE);
    }
}
