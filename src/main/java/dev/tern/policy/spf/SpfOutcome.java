package dev.tern.policy.spf;

import java.util.Locale;

/** The seven results of {@code check_host()} (RFC 7208 §2.6). */
public enum SpfOutcome {
    NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

    /** The lower-case name used in Received-SPF and Authentication-Results headers (RFC 7208 §9). */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
