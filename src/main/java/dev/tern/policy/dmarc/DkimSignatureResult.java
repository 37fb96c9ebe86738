package dev.tern.policy.dmarc;

import java.util.Locale;
import java.util.Objects;

/**
 * What DKIM verification (RFC 6376) found for one {@code DKIM-Signature} field: the input DMARC needs for DKIM
 * alignment and the Authentication-Results header needs for its {@code dkim} entries.
 *
 * @param domain    the signing domain, {@code d=}
 * @param selector  the selector, {@code s=}
 * @param result    the RFC 8601 §2.7.1 result keyword: pass, fail, neutral, policy, temperror, permerror, none
 * @param testing   whether the key record says {@code t=y} (RFC 6376 §3.6.1)
 * @param signature the {@code b=} value (base64, white space removed), or "" when unknown; its first eight
 *                  characters tell signatures apart in {@code header.b} (RFC 6008)
 */
public record DkimSignatureResult(String domain, String selector, String result, boolean testing, String signature) {

    public DkimSignatureResult {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        result = result.toLowerCase(Locale.ROOT);
        signature = signature == null ? "" : signature;
    }

    public DkimSignatureResult(String domain, String selector, String result, boolean testing) {
        this(domain, selector, result, testing, "");
    }

    public boolean passed() {
        return "pass".equals(result);
    }
}
