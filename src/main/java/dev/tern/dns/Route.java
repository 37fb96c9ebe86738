package dev.tern.dns;

import java.util.List;

/** Where to deliver mail for a domain, or why not (RFC 5321 §5.1, RFC 7505). */
public sealed interface Route {

    /** Addresses to try in this order. Never empty. */
    record Targets(List<Target> targets) implements Route {
        public Targets {
            targets = List.copyOf(targets);
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("no targets");
            }
        }
    }

    /**
     * Delivery can never succeed: the domain does not exist, has a null MX, or no host has an address.
     *
     * @param status the RFC 3463 enhanced status code to report, for example {@code 5.1.10} for a null MX
     * @param reason text for the operator and the bounce
     */
    record Permanent(String status, String reason) implements Route {}

    /** DNS could not answer now (SERVFAIL, timeout): try again later. */
    record Temporary(String reason) implements Route {}
}
