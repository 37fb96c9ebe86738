package dev.tern.policy.dkim;

import dev.tern.observe.MailLog;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Arrays;
import java.util.Optional;

/**
 * What makes rsa-sha256 signatures: OpenSSL's libcrypto ({@link LibCrypto}, about 250 µs of CPU for RSA-2048) or
 * the JDK's provider (about 1000 µs; docs/performance.md, DKIM). Chosen once per configuration, applied once per
 * key when the key store reads it ({@link #signingKey}): the signer only ever sees a {@link DkimKey}, whichever
 * engine signs with it. Both make the same octets (RSASSA-PKCS1-v1_5 is deterministic, RFC 8017 §8.2.1).
 *
 * <p>libcrypto is loaded at most once per process, on the first {@link #choose} with {@link Choice#AUTO}. It is used
 * when the runtime is Java 22 or later (where {@code java.lang.foreign} is final) and {@code libcrypto.so.3} loads;
 * otherwise the JDK's provider signs, and {@link #reason} says why.
 */
public final class RsaEngine {

    /** {@code [dkim] crypto}. */
    public enum Choice {
        /** libcrypto when it can be used here, else the JDK's provider. */
        AUTO,
        /** Always the JDK's provider. */
        JDK
    }

    private static final RsaEngine JDK = new RsaEngine(null, "JDK", "[dkim] crypto = \"jdk\"");
    /** What {@link #signingKey} signs with both engines to compare: any octets do, the signature is deterministic. */
    private static final byte[] PROBE = "DKIM-Signature: v=1; a=rsa-sha256; b=".getBytes(StandardCharsets.US_ASCII);

    /** Tried once per process, on first use. */
    private static final class Native {
        static final RsaEngine ENGINE = open();

        private static RsaEngine open() {
            try {
                LibCrypto crypto = LibCrypto.load();
                return new RsaEngine(crypto, crypto.version(), null);
            } catch (ForeignFunctions.Unavailable e) {
                return new RsaEngine(null, "JDK", e.getMessage());
            } catch (RuntimeException e) { // whatever binding the library threw: the JDK signs, and the log says why
                return new RsaEngine(null, "JDK", LibCrypto.LIBRARY + " cannot be bound: " + e);
            }
        }
    }

    private final LibCrypto crypto;
    private final String version;
    private final String reason;

    private RsaEngine(LibCrypto crypto, String version, String reason) {
        this.crypto = crypto;
        this.version = version;
        this.reason = reason;
    }

    /** The engine for {@code [dkim] crypto}. */
    public static RsaEngine choose(Choice choice) {
        return choice == Choice.JDK ? JDK : Native.ENGINE;
    }

    /** The JDK's provider, whatever is installed. */
    public static RsaEngine jdk() {
        return JDK;
    }

    /** {@code libcrypto} or {@code jdk}. */
    public String name() {
        return crypto != null ? "libcrypto" : "jdk";
    }

    /** What signs: {@code OpenSSL 3.0.19}, or {@code JDK}. */
    public String version() {
        return version;
    }

    /** Why the JDK's provider signs rather than libcrypto; empty when libcrypto signs. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /**
     * The key as this engine signs with it: for libcrypto a {@link LibCryptoRsaKey}, once it has signed a probe
     * with the same octets as the JDK's provider; the key unchanged for the JDK's provider, for an Ed25519 key, or
     * when OpenSSL refuses the key or signs differently, which is then logged once ({@code dkim-rsa-fallback}) and
     * signs with the JDK's provider as before. The probe costs one signature of each engine per key read.
     *
     * @param label the key's name in the log, {@code <selector>._domainkey.<domain>}
     */
    PrivateKey signingKey(PrivateKey key, String label) {
        if (crypto == null || !(key instanceof RSAPrivateCrtKey rsa)) {
            return key;
        }
        try {
            LibCryptoRsaKey loaded = LibCryptoRsaKey.load(crypto, rsa, label);
            if (!Arrays.equals(loaded.signNatively(PROBE), loaded.signWithJdk(PROBE))) {
                throw new GeneralSecurityException("OpenSSL's signature differs from the JDK's");
            }
            return loaded;
        } catch (GeneralSecurityException | RuntimeException e) {
            MailLog.event(null, "dkim-rsa-fallback").with("key", label).with("engine", "jdk")
                    .with("reason", e.getMessage()).warn();
            return key;
        }
    }

    @Override
    public String toString() {
        return name() + " (" + version + ")";
    }
}
