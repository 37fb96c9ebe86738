package dev.tern.dane;

/**
 * The DANE status of one MX host of a recipient domain (RFC 7672 §2.2), looked up once per host and delivery
 * attempt. Implementations may block for DNS (bounded by the resolver's timeouts) and never throw.
 */
@FunctionalInterface
public interface Dane {

    /** No DANE: every host is treated as publishing no usable TLSA records. */
    Dane NONE = (domain, mxHost, port) -> new TlsaLookup.NotApplicable("DANE is off");

    /**
     * @param domain the recipient domain (A-label form) whose MX RRset named {@code mxHost}; for a domain
     *               without MX records (the implicit MX of RFC 5321 §5.1) the domain itself
     * @param mxHost the MX host name (A-label form), with or without the trailing dot
     * @param port   the TCP port the server is reached at, which names the TLSA records ({@code _port._tcp.},
     *               RFC 6698 §3): {@code _25._tcp.} for MX delivery (RFC 7672 §2.2.3), another only where
     *               {@code [delivery] mx_port} says the MX hosts listen elsewhere
     */
    TlsaLookup lookup(String domain, String mxHost, int port);
}
