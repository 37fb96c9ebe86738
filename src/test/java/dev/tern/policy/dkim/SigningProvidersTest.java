package dev.tern.policy.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/**
 * The provider that signs must not change what is signed: RSASSA-PKCS1-v1_5 (RFC 8017 §8.2.1) and Ed25519 (RFC 8032
 * §5.1.6) are deterministic, so the JDK's and Bouncy Castle's signatures of the same input are the same octets.
 * Verification by Bouncy Castle gives the JDK's answer.
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

    /** A good signature passes with both providers; a changed header or signature fails with both. */
    @Test
    void ed25519VerificationByBouncyCastleGivesTheJdksAnswer() throws Exception {
        PrivateKey jdkPrivate = DkimTestData.privateKey("keys/ed25519.pkcs8.pem", DkimAlgorithm.ED25519_SHA256);
        PublicKey jdkPublic = DkimKeys.publicKey(jdkPrivate);
        PublicKey fromRecord = DkimKeys.decodePublic(DkimAlgorithm.ED25519_SHA256, pValue("keys/ed25519.dns"));
        byte[] signature = DkimAlgorithm.ED25519_SHA256.sign(DkimTestData.ed25519Key().key(), HEADER_DATA);
        byte[] tamperedData = HEADER_DATA.clone();
        tamperedData[HEADER_DATA.length / 2] ^= 1;
        byte[] tamperedR = signature.clone();
        tamperedR[3] ^= 0x10;
        byte[] tamperedS = signature.clone();
        tamperedS[40] ^= 0x01;

        assertThat(fromRecord.getClass().getName()).startsWith("org.bouncycastle.");
        assertThat(SigningProviders.verification(DkimAlgorithm.ED25519_SHA256, fromRecord).getProvider().getName())
                .isEqualTo("BC");
        assertThat(SigningProviders.verification(DkimAlgorithm.RSA_SHA256, DkimKeys.publicKey(
                DkimTestData.rsaKey().key())).getProvider().getName()).isEqualTo("SunRsaSign");
        assertThat(bothVerdicts(jdkPublic, fromRecord, HEADER_DATA, signature)).containsExactly("pass", "pass");
        assertThat(bothVerdicts(jdkPublic, fromRecord, tamperedData, signature)).containsExactly("fail", "fail");
        assertThat(bothVerdicts(jdkPublic, fromRecord, HEADER_DATA, tamperedR)).containsExactly("fail", "fail");
        assertThat(bothVerdicts(jdkPublic, fromRecord, HEADER_DATA, tamperedS)).containsExactly("fail", "fail");
        for (int length : new int[] {0, 63, 65}) {
            byte[] cut = Arrays.copyOf(signature, length);
            assertThat(bothVerdicts(jdkPublic, fromRecord, HEADER_DATA, cut)).containsExactly("fail", "fail");
        }
    }

    /**
     * Octets Bouncy Castle refuses as a key (a y not on the curve, y not below p, the neutral point of small
     * order) stay the JDK's key object and get the JDK's verdict, not an exception at verification.
     */
    @Test
    void keysBouncyCastleRefusesGetTheJdksVerdict() throws Exception {
        byte[] signature = DkimAlgorithm.ED25519_SHA256.sign(DkimTestData.ed25519Key().key(), HEADER_DATA);
        for (String hex : new String[] {"02", "ff", "01"}) {
            byte[] raw = new byte[32];
            raw[0] = (byte) Integer.parseInt(hex, 16);
            if (hex.equals("ff")) {
                Arrays.fill(raw, (byte) 0xff);
                raw[31] = 0x7f;
            }
            PublicKey key = DkimKeys.decodePublic(DkimAlgorithm.ED25519_SHA256, Base64.getEncoder().encodeToString(raw));
            PublicKey jdk = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                    HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw))));

            assertThat(key.getClass().getName()).as(hex).doesNotStartWith("org.bouncycastle.");
            assertThat(new String[] {jdkVerdict(jdk, HEADER_DATA, signature), verdict(key, HEADER_DATA, signature)})
                    .as(hex).containsExactly("fail", "fail");
        }
    }

    private static String pValue(String record) {
        String text = DkimTestData.text(record).strip();
        return text.substring(text.indexOf("p=") + 2);
    }

    /** The JDK's verdict on the JDK's key, then the verifier's ({@link DkimAlgorithm#verify}) on the record's. */
    private static String[] bothVerdicts(PublicKey jdk, PublicKey record, byte[] data, byte[] signature) {
        return new String[] {jdkVerdict(jdk, data, signature), verdict(record, data, signature)};
    }

    /** As {@link DkimVerifier} counts it: an exception of the security API verifies against no key, a fail. */
    private static String jdkVerdict(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(BodyHasher.sha256().digest(data));
            return s.verify(signature) ? "pass" : "fail";
        } catch (GeneralSecurityException e) {
            return "fail";
        }
    }

    private static String verdict(PublicKey key, byte[] data, byte[] signature) {
        try {
            return DkimAlgorithm.ED25519_SHA256.verify(key, data, signature) ? "pass" : "fail";
        } catch (GeneralSecurityException e) {
            return "fail";
        }
    }
}
