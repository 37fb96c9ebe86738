package dev.tern.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How mail leaves for other servers: timeouts, concurrency, address family, TLS policy and where to send
 * it (the MX walk, a relay host, or a route per domain). Read from {@code [delivery]} by
 * {@link DeliveryReader}; the EHLO name is the server's {@code hostname}.
 *
 * @param connectTimeout    waiting for a TCP connection to one address (Postfix: 30 seconds)
 * @param commandTimeout    waiting for the greeting and each command's reply (RFC 5321 §4.5.3.2.1-3: 5 minutes)
 * @param dataInitTimeout   waiting for the reply to DATA (§4.5.3.2.4: 2 minutes)
 * @param dataBlockTimeout  sending one block of message data (§4.5.3.2.5: 3 minutes)
 * @param dataDoneTimeout   waiting for the reply after the end of data (§4.5.3.2.6: 10 minutes)
 * @param maxConnections    connections to other servers at once, in total
 * @param maxPerDestination connections to one destination at once (Postfix's
 *                          {@code default_destination_concurrency_limit}: 20)
 * @param reuseTime         how long an idle connection is kept for the next message to the same
 *                          destination; zero closes each connection after its message
 * @param addresses         which address families to use and in which order
 * @param tls               the TLS policy where no {@code [[delivery.tls_policy]]} or route says otherwise
 * @param caFile            PEM file of trusted certificate authorities for {@code verify}, or null for the
 *                          JDK's trust store
 * @param relayhost         a smart host that takes all mail not routed otherwise, or null for the MX walk
 * @param routes            per-domain next hops, keyed by the domain's lower-case A-label form
 * @param tlsPolicies       per-domain TLS policies, keyed by the domain's lower-case A-label form
 * @param mxPort            TCP port of the hosts found by the MX walk: 25 (RFC 5321 §4.5.4); another value
 *                          only for tests, whose servers listen on ephemeral ports (Postfix's {@code smtp_tcp_port})
 * @param attempts          how long one attempt may last and how many addresses and sessions it may use
 * @param localThreads      local (mailbox) deliveries at once: a lane of their own, never shared with remote
 *                          deliveries, so a stalled remote server cannot hold up local mail
 */
public record DeliverySettings(
        Duration connectTimeout,
        Duration commandTimeout,
        Duration dataInitTimeout,
        Duration dataBlockTimeout,
        Duration dataDoneTimeout,
        int maxConnections,
        int maxPerDestination,
        Duration reuseTime,
        AddressFamilies addresses,
        TlsPolicy tls,
        Path caFile,
        Relayhost relayhost,
        Map<String, DomainRoute> routes,
        Map<String, TlsPolicy> tlsPolicies,
        int mxPort,
        AttemptLimits attempts,
        int localThreads) {

    /** RFC 5321 §4.5.4 / §5.1: mail exchangers listen on port 25. */
    public static final int SMTP_PORT = 25;

    public DeliverySettings {
        routes = Map.copyOf(routes);
        tlsPolicies = Map.copyOf(tlsPolicies);
    }

    public static DeliverySettings defaults() {
        return new DeliverySettings(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(2),
                Duration.ofMinutes(3), Duration.ofMinutes(10), 100, 20, Duration.ofSeconds(2),
                AddressFamilies.IPV4_FIRST, TlsPolicy.MAY, null, null, Map.of(), Map.of(), SMTP_PORT,
                AttemptLimits.defaults(), 20);
    }

    /** The same settings with other timeouts (tests use short ones). */
    public DeliverySettings withTimeouts(Duration connect, Duration command, Duration dataInit, Duration dataBlock,
                                         Duration dataDone) {
        return new DeliverySettings(connect, command, dataInit, dataBlock, dataDone, maxConnections,
                maxPerDestination, reuseTime, addresses, tls, caFile, relayhost, routes, tlsPolicies, mxPort, attempts,
                localThreads);
    }

    public DeliverySettings withRelayhost(Relayhost newRelayhost) {
        return new DeliverySettings(connectTimeout, commandTimeout, dataInitTimeout, dataBlockTimeout,
                dataDoneTimeout, maxConnections, maxPerDestination, reuseTime, addresses, tls, caFile, newRelayhost,
                routes, tlsPolicies, mxPort, attempts, localThreads);
    }

    public DeliverySettings withRoutes(List<DomainRoute> newRoutes) {
        Map<String, DomainRoute> byDomain = new java.util.HashMap<>();
        newRoutes.forEach(r -> byDomain.put(Syntax.domainKey(r.domain()), r));
        return new DeliverySettings(connectTimeout, commandTimeout, dataInitTimeout, dataBlockTimeout,
                dataDoneTimeout, maxConnections, maxPerDestination, reuseTime, addresses, tls, caFile, relayhost,
                byDomain, tlsPolicies, mxPort, attempts, localThreads);
    }

    public DeliverySettings withTls(TlsPolicy newDefault, Path newCaFile, Map<String, TlsPolicy> perDomain) {
        Map<String, TlsPolicy> byDomain = new java.util.HashMap<>();
        perDomain.forEach((domain, policy) -> byDomain.put(Syntax.domainKey(domain), policy));
        return new DeliverySettings(connectTimeout, commandTimeout, dataInitTimeout, dataBlockTimeout,
                dataDoneTimeout, maxConnections, maxPerDestination, reuseTime, addresses, newDefault, newCaFile,
                relayhost, routes, byDomain, mxPort, attempts, localThreads);
    }

    public DeliverySettings withConcurrency(int total, int perDestination, Duration newReuseTime) {
        return new DeliverySettings(connectTimeout, commandTimeout, dataInitTimeout, dataBlockTimeout,
                dataDoneTimeout, total, perDestination, newReuseTime, addresses, tls, caFile, relayhost, routes,
                tlsPolicies, mxPort, attempts, localThreads);
    }

    /** The same settings with the MX hosts on another port (tests, whose peers listen on ephemeral ports). */
    public DeliverySettings withMxPort(int newMxPort) {
        return new DeliverySettings(connectTimeout, commandTimeout, dataInitTimeout, dataBlockTimeout,
                dataDoneTimeout, maxConnections, maxPerDestination, reuseTime, addresses, tls, caFile, relayhost,
                routes, tlsPolicies, newMxPort, attempts, localThreads);
    }

    /** The same settings with other limits per attempt (tests use a short deadline). */
    public DeliverySettings withAttempts(AttemptLimits newAttempts) {
        return new DeliverySettings(connectTimeout, commandTimeout, dataInitTimeout, dataBlockTimeout,
                dataDoneTimeout, maxConnections, maxPerDestination, reuseTime, addresses, tls, caFile, relayhost,
                routes, tlsPolicies, mxPort, newAttempts, localThreads);
    }

    /** The same settings with another number of local deliveries at once. */
    public DeliverySettings withLocalThreads(int newLocalThreads) {
        return new DeliverySettings(connectTimeout, commandTimeout, dataInitTimeout, dataBlockTimeout,
                dataDoneTimeout, maxConnections, maxPerDestination, reuseTime, addresses, tls, caFile, relayhost,
                routes, tlsPolicies, mxPort, attempts, newLocalThreads);
    }

    /** The TLS policy for mail to {@code domainKey} (lower-case A-label), before any route's own policy. */
    public TlsPolicy tlsFor(String domainKey) {
        return tlsPolicies.getOrDefault(domainKey, tls);
    }

    /** The route configured for {@code domainKey}, or null. */
    public DomainRoute routeFor(String domainKey) {
        return routes.get(domainKey);
    }

    /**
     * What bounds one delivery attempt to one destination, so that a hostile or broken server cannot hold a
     * connection for longer than this whatever it sends, one byte at a time or not at all.
     *
     * @param timeout      the whole attempt, from the wait for a connection permit to the last reply: when it
     *                     passes, a watchdog closes the connection (per-read timeouts alone restart with every
     *                     byte); the recipients are deferred (4.4.7)
     * @param maxAddresses addresses tried per attempt, over all MX hosts and their A/AAAA records (Postfix's
     *                     {@code smtp_mx_address_limit}: 5)
     * @param maxSessions  sessions that reached the end of their start (greeting, EHLO, TLS, AUTH) per attempt
     *                     (Postfix's {@code smtp_mx_session_limit}: 2)
     */
    public record AttemptLimits(Duration timeout, int maxAddresses, int maxSessions) {

        /**
         * 20 minutes: twice the longest single wait of RFC 5321 (§4.5.3.2.6, 10 minutes for the reply to the end
         * of data), which leaves as long again for the greeting, the commands and a large message's transfer;
         * five addresses and two sessions as Postfix.
         */
        public static AttemptLimits defaults() {
            return new AttemptLimits(Duration.ofMinutes(20), 5, 2);
        }
    }

    /** Address families, written {@code "ipv4-only"}, {@code "ipv6-only"}, {@code "ipv4-first"}, {@code "ipv6-first"}. */
    public enum AddressFamilies {
        IPV4_ONLY, IPV6_ONLY, IPV4_FIRST, IPV6_FIRST;

        /** The form used in the configuration file. */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * What to ask of TLS toward a destination (the levels of Postfix's {@code smtp_tls_security_level}).
     * {@code NONE}: never STARTTLS. {@code MAY}: STARTTLS when offered, any certificate, plaintext if it fails
     * (RFC 7435 opportunistic security). {@code ENCRYPT}: STARTTLS required, any certificate. {@code VERIFY}:
     * STARTTLS required and a certificate valid for the server's host name.
     */
    public enum TlsPolicy { NONE, MAY, ENCRYPT, VERIFY }

    /**
     * A smart host for all mail not routed otherwise.
     *
     * @param host     a host name (its A/AAAA records are used, not its MX) or an IP address
     * @param port     TCP port
     * @param tls      TLS policy toward it, or null for the default policy
     * @param username AUTH user name, or null for no authentication
     * @param password AUTH password (from {@code password} or {@code password_file}), or null
     */
    public record Relayhost(String host, int port, TlsPolicy tls, String username, String password) {

        public boolean hasCredentials() {
            return username != null;
        }

        @Override
        public String toString() {
            return "Relayhost[host=" + host + ", port=" + port + ", tls=" + tls + ", username=" + username
                    + (password == null ? "" : ", password=(hidden)") + "]";
        }
    }

    /**
     * Mail for {@code domain} goes to {@code host}:{@code port} instead of the domain's MX hosts.
     *
     * @param domain the recipient domain, as written in the file
     * @param host   a host name (A/AAAA records) or an IP address
     * @param port   TCP port
     * @param tls    TLS policy toward it, or null for the domain's policy
     */
    public record DomainRoute(String domain, String host, int port, TlsPolicy tls) {
    }
}
