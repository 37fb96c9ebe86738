package dev.tern.config;

import java.time.Duration;

/**
 * DKIM settings ({@code [dkim]}): signing outgoing mail with the keys under {@code <data_dir>/dkim}, verifying
 * incoming mail.
 *
 * @param sign                    sign mail from our users with the From domain's keys, when it has any
 * @param verify                  verify the DKIM signatures of received mail (results for Authentication-Results)
 * @param headerCanonicalization  {@code c=} for header fields: relaxed survives refolding by relays
 * @param bodyCanonicalization    {@code c=} for the body
 * @param signatureLifetime       {@code x=} is this long after {@code t=}; zero writes no {@code x=}
 * @param maxSignatures           signatures checked per received message; more are reported, not checked
 * @param crypto                  what makes rsa-sha256 signatures: OpenSSL's libcrypto when usable, or the JDK
 */
public record DkimSettings(boolean sign, boolean verify, Canonicalization headerCanonicalization,
        Canonicalization bodyCanonicalization, Duration signatureLifetime, int maxSignatures, Crypto crypto) {

    /** RFC 6376 §3.4; the same names as the DKIM code's, so {@code valueOf(name())} maps one to the other. */
    public enum Canonicalization {
        SIMPLE,
        RELAXED
    }

    /** {@code crypto}; the same names as the DKIM code's {@code RsaEngine.Choice}. */
    public enum Crypto {
        /** libcrypto ({@code libcrypto.so.3}) on Java 22 or later when it loads, else the JDK's provider. */
        AUTO,
        /** The JDK's provider always. */
        JDK
    }

    public static DkimSettings defaults() {
        return new DkimSettings(true, true, Canonicalization.RELAXED, Canonicalization.RELAXED, Duration.ZERO, 10,
                Crypto.AUTO);
    }
}
