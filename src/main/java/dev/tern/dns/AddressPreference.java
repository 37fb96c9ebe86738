package dev.tern.dns;

/** Which address families to use for a host, and in what order. */
public enum AddressPreference {
    /** A records only. */
    IPV4_ONLY,
    /** AAAA records only. */
    IPV6_ONLY,
    /** AAAA addresses before A addresses of the same host. */
    IPV6_FIRST,
    /** A addresses before AAAA addresses of the same host. */
    IPV4_FIRST
}
