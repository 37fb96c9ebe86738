package dev.tern.sts;

/** Fetches a domain's policy file (RFC 8461 §3.3); the seam between the cache logic and HTTPS. Never throws. */
interface PolicyFetcher {

    /** What one fetch gave. */
    sealed interface Fetch {
    }

    /** A {@code 200} answer of type {@code text/plain} within the limits: the body, to be parsed. */
    record Body(String text) implements Fetch {
    }

    /**
     * No usable answer.
     *
     * @param resultType the TLS-RPT result type (RFC 8460 §4.3.2.3)
     * @param detail     what happened, for the mail log
     */
    record Failure(String resultType, String detail) implements Fetch {
    }

    /** TLS-RPT's result type for a policy that could not be fetched (no answer, not 200, a redirect). */
    String FETCH_ERROR = "sts-policy-fetch-error";
    /** TLS-RPT's result type for a policy that is not acceptable (syntax, media type, size). */
    String INVALID = "sts-policy-invalid";
    /** TLS-RPT's result type for an HTTPS server whose certificate did not verify. */
    String WEBPKI_INVALID = "sts-webpki-invalid";

    /** @param domain the policy domain, a lower-case A-label name */
    Fetch fetch(String domain);
}
