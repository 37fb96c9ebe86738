package dev.tern.policy.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tern.testlog.MailLogCapture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * rsa-sha256 by OpenSSL's libcrypto ({@link RsaEngine}, {@link LibCryptoRsaKey}): on a machine with Java 22+ and
 * libcrypto.so.3 it is the engine "auto" picks; its signatures are the JDK's octets (RSASSA-PKCS1-v1_5 is
 * deterministic, RFC 8017 §8.2.1) and verify with the JDK; a key OpenSSL cannot sign with still signs, with the
 * JDK's provider, and says so in the mail log.
 */
class LibCryptoRsaKeyTest {

    private static final RsaEngine AUTO = RsaEngine.choose(RsaEngine.Choice.AUTO);

    @TempDir
    Path data;

    /** Debian's libssl3 puts it under the multiarch library directory. */
    private static boolean libcryptoInstalled() throws IOException {
        for (Path dir : List.of(Path.of("/usr/lib"), Path.of("/lib"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> found = Files.find(dir, 2, (p, a) -> p.endsWith(LibCrypto.LIBRARY))) {
                    if (found.findAny().isPresent()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void assumeNative() {
        assumeTrue(AUTO.name().equals("libcrypto"), () -> "libcrypto cannot be used here: " + AUTO.reason());
    }

    /** A silent fall-back to the JDK would cost four times the CPU per message: caught here, not in production. */
    @Test
    void libcryptoSignsWhereJava22AndLibcryptoAreThere() throws Exception {
        assumeTrue(Runtime.version().feature() >= 22, "java.lang.foreign is final from Java 22");
        assumeTrue(libcryptoInstalled(), "no " + LibCrypto.LIBRARY + " (Debian: libssl3)");

        assertThat(AUTO.reason()).isEmpty();
        assertThat(AUTO.name()).isEqualTo("libcrypto");
        assertThat(AUTO.version()).startsWith("OpenSSL 3.");
        assertThat(AUTO.signingKey(DkimTestData.rsaKey().key(), "rsa2048._domainkey.example.test"))
                .isInstanceOf(LibCryptoRsaKey.class);
    }

    @Test
    void theJdkChoiceLeavesKeysToTheJdk() throws Exception {
        RsaEngine jdk = RsaEngine.choose(RsaEngine.Choice.JDK);
        PrivateKey key = DkimTestData.rsaKey().key();

        assertThat(jdk.name()).isEqualTo("jdk");
        assertThat(jdk.reason()).hasValue("[dkim] crypto = \"jdk\"");
        assertThat(jdk.signingKey(key, "rsa2048._domainkey.example.test")).isSameAs(key);
    }

    @ParameterizedTest(name = "RSA-{0}")
    @ValueSource(ints = {1024, 2048, 4096})
    void signaturesAreTheJdksOctetsAndVerifyWithTheJdk(int bits) throws Exception {
        assumeNative();
        KeyPair pair = DkimKeys.generate(DkimAlgorithm.RSA_SHA256, bits);
        PrivateKey jdkKey = pair.getPrivate();
        PrivateKey nativeKey = AUTO.signingKey(jdkKey, "s._domainkey.example.test");
        assertThat(nativeKey).isInstanceOf(LibCryptoRsaKey.class);
        Random random = new Random(bits);
        int messages = bits == 4096 ? 60 : 200;

        for (int i = 0; i < messages; i++) {
            byte[] data = new byte[i == 0 ? 0 : random.nextInt(4000)];
            random.nextBytes(data);
            byte[] signature = DkimAlgorithm.RSA_SHA256.sign(nativeKey, data);

            assertThat(signature).as("message %d of %d octets", i, data.length)
                    .isEqualTo(jdkSignature(jdkKey, data));
            assertThat(DkimAlgorithm.RSA_SHA256.verify(pair.getPublic(), data, signature)).isTrue();
        }
    }

    /** OpenSSL 3 lets one EVP_PKEY sign on several threads, each with a context of its own. */
    @Test
    void oneKeySignsOnManyThreadsAtOnce() throws Exception {
        assumeNative();
        PrivateKey jdkKey = DkimTestData.rsaKey().key();
        PrivateKey nativeKey = AUTO.signingKey(jdkKey, "rsa2048._domainkey.example.test");
        List<byte[]> inputs = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            byte[] data = ("message " + i).getBytes(StandardCharsets.US_ASCII);
            inputs.add(data);
            expected.add(jdkSignature(jdkKey, data));
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(threads.submit(() -> {
                    boolean same = true;
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < inputs.size(); i++) {
                            same &= Arrays.equals(
                                    DkimAlgorithm.RSA_SHA256.sign(nativeKey, inputs.get(i)), expected.get(i));
                        }
                    }
                    return same;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        }
    }

    /** The key store reads keys for its engine; the signer's fields are the same octets either way. */
    @Test
    void theSignerCannotTellWhichEngineSigns() throws Exception {
        assumeNative();
        DkimKeyStore withLibcrypto = new DkimKeyStore(data, AUTO);
        DkimKeyStore withJdk = new DkimKeyStore(data, RsaEngine.jdk());
        Path file = withLibcrypto.path("example.test", "rsa2048", DkimAlgorithm.RSA_SHA256);
        Files.createDirectories(file.getParent());
        Files.writeString(file, DkimTestData.text("keys/rsa2048.key"));
        byte[] message = "From: a@example.test\r\nSubject: hi\r\n\r\nHello.\r\n".getBytes(StandardCharsets.US_ASCII);
        DkimSigner signer = new DkimSigner(DkimTestData.clockAt(DkimTestData.VECTOR_TIME), SignOptions.defaults());

        List<DkimKey> nativeKeys = withLibcrypto.keys("example.test");
        List<DkimKey> jdkKeys = withJdk.keys("example.test");

        assertThat(nativeKeys.get(0).key()).isInstanceOf(LibCryptoRsaKey.class);
        assertThat(jdkKeys.get(0).key()).isNotInstanceOf(LibCryptoRsaKey.class);
        assertThat(signer.sign(new ByteArrayInputStream(message), nativeKeys))
                .isEqualTo(signer.sign(new ByteArrayInputStream(message), jdkKeys));
    }

    /** OpenSSL cannot sign with an even modulus (no Montgomery form); the JDK can. Read with it, it stays the JDK's. */
    @Test
    void aKeyOpenSslCannotSignWithStaysWithTheJdkAndIsLoggedOnce() throws Exception {
        assumeNative();
        RSAPrivateCrtKey evenModulus = evenModulusKey();
        byte[] data = "header data".getBytes(StandardCharsets.US_ASCII);

        PrivateKey key;
        try (MailLogCapture log = new MailLogCapture()) {
            key = AUTO.signingKey(evenModulus, "even._domainkey.example.test");
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("dkim-rsa-fallback key=even._domainkey.example.test engine=jdk reason=")
                    .contains("EVP_DigestSign failed: error:");
        }

        assertThat(key).isSameAs(evenModulus);
        byte[] signature = DkimAlgorithm.RSA_SHA256.sign(key, data);
        assertThat(DkimAlgorithm.RSA_SHA256.verify(publicKey(evenModulus), data, signature)).isTrue();
    }

    /** A failure at signing time costs that message the JDK's signature and one log line, never the signature. */
    @Test
    void aFailureWhileSigningSignsThatMessageWithTheJdk() throws Exception {
        assumeNative();
        RSAPrivateCrtKey evenModulus = evenModulusKey();
        LibCrypto crypto = LibCrypto.load();
        LibCryptoRsaKey key = LibCryptoRsaKey.load(crypto, evenModulus, "even._domainkey.example.test");
        byte[] first = "first message".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "second message".getBytes(StandardCharsets.US_ASCII);

        try (MailLogCapture log = new MailLogCapture()) {
            byte[] one = DkimAlgorithm.RSA_SHA256.sign(key, first);
            byte[] two = DkimAlgorithm.RSA_SHA256.sign(key, second);

            assertThat(one).isEqualTo(jdkSignature(evenModulus, first));
            assertThat(two).isEqualTo(jdkSignature(evenModulus, second));
            assertThat(DkimAlgorithm.RSA_SHA256.verify(publicKey(evenModulus), first, one)).isTrue();
            assertThat(log.lines()).hasSize(2).allSatisfy(line -> assertThat(line)
                    .startsWith("dkim-rsa-fallback key=even._domainkey.example.test engine=jdk reason=")
                    .contains("EVP_DigestSign failed: error:"));
        }
    }

    @Test
    void aKeyTheLibraryCannotReadIsRefusedWithItsErrors() throws Exception {
        assumeNative();
        LibCrypto crypto = LibCrypto.load();

        Exception refused = null;
        try {
            crypto.privateKey("not DER".getBytes(StandardCharsets.US_ASCII));
        } catch (LibCrypto.Failure e) {
            refused = e;
        }

        assertThat(refused).isNotNull().hasMessageStartingWith("d2i_AutoPrivateKey failed");
    }

    private static byte[] jdkSignature(PrivateKey key, byte[] data) throws Exception {
        PrivateKey plain = key instanceof LibCryptoRsaKey n ? n.jdkKey() : key;
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(plain);
        s.update(data);
        return s.sign();
    }

    private static PublicKey publicKey(RSAPrivateCrtKey key) throws Exception {
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(key.getModulus(),
                key.getPublicExponent()));
    }

    /**
     * A working RSA key whose modulus is even: n = 2·p·q with p, q prime, and the CRT prime "p" is 2p. RSA's
     * arithmetic holds (x^(ed) ≡ x mod 2 for any exponent), so the JDK signs and verifies; OpenSSL's Montgomery
     * arithmetic needs an odd modulus and fails.
     */
    private static RSAPrivateCrtKey evenModulusKey() throws Exception {
        Random random = new Random(2026);
        BigInteger one = BigInteger.ONE;
        BigInteger e = BigInteger.valueOf(65537);
        BigInteger p = prime(1023, e, random);
        BigInteger q = prime(1024, e, random);
        BigInteger even = p.shiftLeft(1);
        BigInteger pm1 = p.subtract(one);
        BigInteger qm1 = q.subtract(one);
        BigInteger d = e.modInverse(pm1.multiply(qm1).divide(pm1.gcd(qm1)));
        RSAPrivateCrtKeySpec spec = new RSAPrivateCrtKeySpec(even.multiply(q), e, d, even, q, d.mod(pm1), d.mod(qm1),
                q.modInverse(even));
        return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(spec);
    }

    private static BigInteger prime(int bits, BigInteger e, Random random) {
        BigInteger p;
        do {
            p = BigInteger.probablePrime(bits, random);
        } while (!p.subtract(BigInteger.ONE).gcd(e).equals(BigInteger.ONE));
        return p;
    }
}
