package dev.tern.policy.dkim;

import java.time.Duration;
import java.util.Objects;

/**
 * How new signatures are made.
 *
 * @param headerCanon  {@code c=} for the header; relaxed survives refolding by relays
 * @param bodyCanon    {@code c=} for the body
 * @param headers      the fields listed in {@code h=}
 * @param lifetime     how long a signature stays valid ({@code x=} = {@code t=} + lifetime); zero for no {@code x=}
 * @param withIdentity whether to write {@code i=@d} (the default identity, written out)
 */
public record SignOptions(Canonicalization headerCanon, Canonicalization bodyCanon, HeaderPolicy headers,
        Duration lifetime, boolean withIdentity) {

    public SignOptions {
        Objects.requireNonNull(headerCanon, "headerCanon");
        Objects.requireNonNull(bodyCanon, "bodyCanon");
        Objects.requireNonNull(headers, "headers");
        if (lifetime.isNegative()) {
            throw new IllegalArgumentException("negative signature lifetime");
        }
    }

    /** relaxed/relaxed, the recommended fields with over-signing, no {@code x=}, no {@code i=}. */
    public static SignOptions defaults() {
        return new SignOptions(Canonicalization.RELAXED, Canonicalization.RELAXED, HeaderPolicy.recommended(),
                Duration.ZERO, false);
    }

    public SignOptions withCanonicalization(Canonicalization header, Canonicalization body) {
        return new SignOptions(header, body, headers, lifetime, withIdentity);
    }

    public SignOptions withHeaders(HeaderPolicy policy) {
        return new SignOptions(headerCanon, bodyCanon, policy, lifetime, withIdentity);
    }

    public SignOptions withLifetime(Duration value) {
        return new SignOptions(headerCanon, bodyCanon, headers, value, withIdentity);
    }

    public SignOptions withIdentity(boolean value) {
        return new SignOptions(headerCanon, bodyCanon, headers, lifetime, value);
    }
}
