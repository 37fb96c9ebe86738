package dev.tern.policy.dkim;

import java.util.Locale;

/**
 * The result of one DKIM-Signature, in the terms of RFC 8601 §2.7.1.
 *
 * @param status          the result
 * @param reason          why, for anything but a plain pass (e.g. "body hash mismatch"); empty otherwise
 * @param domain          {@code d=}, or empty when the field was too broken to tell
 * @param selector        {@code s=}, or empty
 * @param identity        {@code i=} (default {@code @d}), or empty
 * @param algorithm       {@code a=} as written, or empty
 * @param signaturePrefix the first 8 characters of {@code b=}, to tell signatures apart (RFC 6008)
 * @param testing         the key record says {@code t=y}: the domain is testing DKIM, so even a pass must be treated
 *                        like an unsigned message (RFC 6376 §3.6.1)
 * @param unsignedContent the signature has {@code l=} and the body goes on past it: content after the signed part
 *                        could have been added by anyone (RFC 6376 §8.2)
 */
public record DkimResult(Status status, String reason, String domain, String selector, String identity,
        String algorithm, String signaturePrefix, boolean testing, boolean unsignedContent) {

    /** RFC 8601 §2.7.1 results for DKIM; "none" (no signature at all) is an empty list of results. */
    public enum Status {
        /** The signature verified. */
        PASS,
        /** The signature, body hash or key strength failed: the message changed, or the signer is not who it says. */
        FAIL,
        /** The signature field could not be processed: syntax errors, missing tags, unknown algorithm. */
        NEUTRAL,
        /** The key could not be fetched now (DNS timeout, SERVFAIL): worth trying later. */
        TEMPERROR,
        /** The key record is missing, broken, revoked or not usable for this signature. */
        PERMERROR,
        /** The signature is not acceptable here: rsa-sha1 (RFC 8301 §3.1), or beyond the signatures we check. */
        POLICY;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A pass that policy (DMARC, reputation) may rely on: no testing key, no unsigned content. */
    public boolean trusted() {
        return status == Status.PASS && !testing && !unsignedContent;
    }

    public boolean passed() {
        return status == Status.PASS;
    }

    /**
     * The {@code dkim=} method entry of an Authentication-Results field (RFC 8601 §2.7.1, properties from RFC 6008),
     * e.g. {@code dkim=pass header.d=example.com header.i=@example.com header.s=s1 header.a=rsa-sha256 header.b=AbCdEf12}.
     */
    public String authResultsEntry() {
        StringBuilder out = new StringBuilder("dkim=").append(status.keyword());
        String comment = comment();
        if (!comment.isEmpty()) {
            out.append(" (").append(comment.replaceAll("[()\\\\\r\n]", "")).append(')');
        }
        property(out, "header.d", domain);
        property(out, "header.i", identity);
        property(out, "header.s", selector);
        property(out, "header.a", algorithm);
        property(out, "header.b", signaturePrefix);
        return out.toString();
    }

    private String comment() {
        StringBuilder c = new StringBuilder(reason);
        if (testing) {
            c.append(c.isEmpty() ? "" : "; ").append("key in testing mode");
        }
        if (unsignedContent) {
            c.append(c.isEmpty() ? "" : "; ").append("body has unsigned content after l=");
        }
        return c.toString();
    }

    private static void property(StringBuilder out, String name, String value) {
        if (!value.isEmpty() && value.matches("[\\x21-\\x7e&&[^;()\"\\\\]]+")) {
            out.append(' ').append(name).append('=').append(value);
        }
    }

    static DkimResult of(Status status, String reason, DkimSignature sig, boolean testing, boolean unsigned) {
        return new DkimResult(status, reason, sig.domain(), sig.selector(), sig.identity(), sig.algorithmName(),
                sig.shortSignature(), testing, unsigned);
    }

    static DkimResult unparsed(Status status, String reason) {
        return new DkimResult(status, reason, "", "", "", "", "", false, false);
    }
}
