package dev.tern.policy.dmarc;

import java.util.Locale;

/** The DMARC results of RFC 7489 §11.2 (the {@code dmarc} method of Authentication-Results). */
public enum DmarcOutcome {
    /** An aligned identifier passed SPF or DKIM (§3.1, §4.2). */
    PASS,
    /** A policy was found and no aligned identifier passed. */
    FAIL,
    /** No DMARC policy applies: no record, several records, or no usable policy in it (§6.6.3). */
    NONE,
    /** The policy could not be fetched, or an aligned check failed temporarily: worth trying again later. */
    TEMPERROR,
    /** The message gives DMARC nothing to check: no single RFC5322.From domain (§6.6.1). */
    PERMERROR;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
