package dev.tern.policy.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/**
 * The provider that signs must not change what is signed: RSASSA-PKCS1-v1_5 (RFC 8017 §8.2.1) and Ed25519 (RFC 8032
 * §5.1.6) are deterministic, so the JDK's and Bouncy Castle's signatures of the same input are the same octets.
 */
class SigningProvidersTest {

    private static final byte[] HEADER_DATA = ("from:Alice <alice@example.test>\r\nsubject:test\r\n"
            + "dkim-signature:v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test; s=s; h=from:subject; bh=x; b=")
            .getBytes(StandardCharsets.US_ASCII);

    private static byte[] sign(String algorithm, java.security.Provider provider, PrivateKey key, byte[] data)
            throws Exception {
        Signature s = provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
        s.initSign(key);
        s.update(data);
        return s.sign();
    }

    @Test
    void rsaSignaturesOfTheJdkAndBouncyCastleAreTheSameOctets() throws Exception {
        PrivateKey jdkKey = DkimTestData.privateKey("keys/rsa2048.key", DkimAlgorithm.RSA_SHA256);

        byte[] jdk = sign("SHA256withRSA", null, jdkKey, HEADER_DATA);
        byte[] bc = sign("SHA256withRSA", new BouncyCastleProvider(), jdkKey, HEADER_DATA);

        assertThat(bc).isEqualTo(jdk);
        assertThat(DkimAlgorithm.RSA_SHA256.sign(DkimTestData.rsaKey().key(), HEADER_DATA)).isEqualTo(jdk);
    }

    @Test
    void ed25519SignaturesAreThoseOfTheJdkWithTheKeyConvertedOnce() throws Exception {
        PrivateKey jdkKey = DkimTestData.privateKey("keys/ed25519.pkcs8.pem", DkimAlgorithm.ED25519_SHA256);
        DkimKey key = DkimTestData.ed25519Key();
        byte[] hash = BodyHasher.sha256().digest(HEADER_DATA); // RFC 8463 §3: Ed25519 signs the hash

        byte[] jdk = sign("Ed25519", null, jdkKey, hash);

        assertThat(key.key().getClass().getName()).startsWith("org.bouncycastle.");
        assertThat(DkimAlgorithm.ED25519_SHA256.sign(key.key(), HEADER_DATA)).isEqualTo(jdk);
        assertThat(DkimAlgorithm.ED25519_SHA256.sign(jdkKey, HEADER_DATA)).isEqualTo(jdk);
    }

    /** {@code tern dkim show} derives the record from the loaded key, which is now Bouncy Castle's object. */
    @Test
    void theConvertedKeyGivesTheSamePublicRecord() throws Exception {
        PrivateKey jdkKey = DkimTestData.privateKey("keys/ed25519.pkcs8.pem", DkimAlgorithm.ED25519_SHA256);

        String converted = DkimKeys.recordValue(DkimAlgorithm.ED25519_SHA256,
                DkimKeys.publicKey(DkimTestData.ed25519Key().key()));

        assertThat(converted).isEqualTo(DkimKeys.recordValue(DkimAlgorithm.ED25519_SHA256, DkimKeys.publicKey(jdkKey)));
        assertThat(converted).isEqualTo(DkimTestData.text("keys/ed25519.dns").strip());
    }
}
