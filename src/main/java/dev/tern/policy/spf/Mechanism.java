package dev.tern.policy.spf;

import dev.tern.mail.IpNetwork;

/** The eight mechanisms of RFC 7208 §5. A null domain means "the current domain". */
sealed interface Mechanism {

    /** §4.6.4: include, a, mx, ptr and exists count toward the limit of 10 DNS-querying terms. */
    default boolean queriesDns() {
        return !(this instanceof All || this instanceof Ip4 || this instanceof Ip6);
    }

    record All() implements Mechanism {}

    record Include(MacroString domain) implements Mechanism {}

    record A(MacroString domain, int cidr4, int cidr6) implements Mechanism {}

    record Mx(MacroString domain, int cidr4, int cidr6) implements Mechanism {}

    record Ptr(MacroString domain) implements Mechanism {}

    record Ip4(IpNetwork network) implements Mechanism {
        /** The CIDR length written (or 32). */
        int cidr() {
            return network.prefixLength();
        }
    }

    /**
     * An ip6 network; null for an IPv4-mapped literal with a prefix over 32 bits, which Java reads as an IPv4
     * address and which therefore never matched any client.
     */
    record Ip6(IpNetwork network) implements Mechanism {}

    record Exists(MacroString domain) implements Mechanism {}
}
