package dev.tern.bench;

import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import dev.tern.policy.dkim.Canonicalization;
import dev.tern.policy.dkim.DkimAlgorithm;
import dev.tern.policy.dkim.DkimKeyStore;
import dev.tern.policy.dkim.DkimKeys;
import dev.tern.policy.dkim.DkimParts;
import dev.tern.policy.dkim.DkimSigner;
import dev.tern.policy.dkim.HeaderPolicy;
import dev.tern.policy.dkim.RsaEngine;
import dev.tern.policy.dkim.SignOptions;
import dev.tern.policy.mailauth.OutboundSigner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The parts of signing one message with DKIM, each alone, to see where {@link DkimBenchmark}'s time goes: the
 * signature primitive with the JDK's and Bouncy Castle's providers, the body canonicalization and hash, the
 * header selection and canonicalization, reading the keys, and the whole per-message path of a session
 * ({@link OutboundSigner} with an RSA-2048 and an Ed25519 key on disk). Bouncy Castle is used as a provider
 * instance, never registered. Run with {@link #main}, like {@link DkimBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// --enable-native-access: the libcrypto engine calls restricted methods of java.lang.foreign, as ./tern serve does.
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class DkimPartsBenchmark {

    static final Provider BC = new BouncyCastleProvider();

    /** One signature primitive: an algorithm, a provider, and the key as that provider gets it. */
    @State(Scope.Benchmark)
    public static class Primitive {
        @Param({"rsa-sha256", "ed25519-sha256"})
        public String algorithm;

        /** {@code jdk}; {@code bc} with its own key object; {@code bc-jdk-key} given the JDK's key object. */
        @Param({"jdk", "bc", "bc-jdk-key"})
        public String provider;

        String jcaName;
        Provider jca;
        PrivateKey key;
        byte[] input;
        Signature reused;

        @Setup
        public void setUp() throws Exception {
            DkimAlgorithm alg = DkimAlgorithm.fromTag(algorithm).orElseThrow();
            PrivateKey jdkKey = DkimKeys.generate(alg, DkimKeys.DEFAULT_RSA_BITS).getPrivate();
            jcaName = alg == DkimAlgorithm.RSA_SHA256 ? "SHA256withRSA" : "Ed25519";
            jca = provider.equals("jdk") ? Signature.getInstance(jcaName).getProvider() : BC;
            key = provider.equals("bc") ? KeyFactory.getInstance(jdkKey.getAlgorithm(), BC)
                    .generatePrivate(new PKCS8EncodedKeySpec(jdkKey.getEncoded())) : jdkKey;
            Headers headers = new Headers();
            headers.setUp();
            input = DkimParts.signedInput(alg, headers.data());
            reused = Signature.getInstance(jcaName, jca);
        }
    }

    /** An RSA-2048 key as each {@link RsaEngine} signs with it, and the header data of the benchmark message. */
    @State(Scope.Benchmark)
    public static class RsaEngineKey {
        /** {@code jdk}: the JDK's provider; {@code libcrypto}: OpenSSL through java.lang.foreign. */
        @Param({"jdk", "libcrypto"})
        public String engine;

        PrivateKey key;
        byte[] data;

        @Setup
        public void setUp() throws Exception {
            key = DkimParts.rsaSigningKey(DkimKeys.generate(DkimAlgorithm.RSA_SHA256, DkimKeys.DEFAULT_RSA_BITS)
                    .getPrivate(), engine(engine));
            if (DkimParts.signsWithLibcrypto(key) != engine.equals("libcrypto")) {
                throw new IllegalStateException("the key does not sign with " + engine);
            }
            Headers headers = new Headers();
            headers.setUp();
            data = headers.data();
        }
    }

    /** The engine named, refusing to measure the JDK's provider under libcrypto's name. */
    static RsaEngine engine(String name) {
        RsaEngine chosen = RsaEngine.choose(name.equals("jdk") ? RsaEngine.Choice.JDK : RsaEngine.Choice.AUTO);
        if (!chosen.name().equals(name)) {
            throw new IllegalStateException("no " + name + " here: " + chosen.reason().orElse(""));
        }
        return chosen;
    }

    /** A message of {@code size} octets and where its body starts. */
    @State(Scope.Benchmark)
    public static class Body {
        @Param({"10240", "1048576"})
        public int size;

        byte[] message;
        int bodyOffset;

        @Setup
        public void setUp() {
            message = DkimBenchmark.message(size);
            bodyOffset = HeaderBlock.parse(message, message.length, HeaderBlock.LineEnds.CRLF).bodyOffset();
        }
    }

    /** The header of the benchmark message, and a DKIM-Signature without its value. */
    @State(Scope.Benchmark)
    public static class Headers {
        byte[] message;
        List<HeaderField> fields;
        HeaderField signature;

        @Setup
        public void setUp() {
            message = DkimBenchmark.message(10240);
            fields = HeaderBlock.parse(message, message.length, HeaderBlock.LineEnds.CRLF).fields();
            signature = HeaderField.of("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test;\r\n"
                    + " q=dns/txt; s=bench; t=1800000000; h=from:from:subject:subject:date:date:to:to:cc:\r\n"
                    + " message-id:message-id:mime-version:content-type;\r\n"
                    + " bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=");
        }

        byte[] data() {
            return DkimParts.headerData(fields, HeaderPolicy.recommended(), Canonicalization.RELAXED, signature);
        }
    }

    /**
     * An RSA-2048 and an Ed25519 key of {@code example.test} in a key store directory, as a server has them, the
     * RSA key signing with {@link #rsaEngine}.
     */
    @State(Scope.Benchmark)
    public static class Keys {
        @Param({"jdk", "libcrypto"})
        public String rsaEngine;

        Path dir;
        DkimKeyStore store;
        OutboundSigner signer;
        String rsaPem;
        String ed25519Pem;
        byte[] message;

        @Setup
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("dkim-bench");
            store = new DkimKeyStore(dir, engine(rsaEngine));
            rsaPem = write(DkimAlgorithm.RSA_SHA256, "rsa");
            ed25519Pem = write(DkimAlgorithm.ED25519_SHA256, "ed");
            signer = new OutboundSigner(store, new DkimSigner(Clock.systemUTC(), SignOptions.defaults()));
            message = DkimBenchmark.message(10240);
            if (signer.sign(new ByteArrayInputStream(message), sender()).fields().size() != 2) {
                throw new IllegalStateException("the benchmark message is not signed twice");
            }
            boolean libcrypto = DkimParts.signsWithLibcrypto(store.keys("example.test").get(0).key());
            if (libcrypto != rsaEngine.equals("libcrypto")) {
                throw new IllegalStateException("the RSA key does not sign with " + rsaEngine);
            }
        }

        private String write(DkimAlgorithm alg, String selector) throws IOException, GeneralSecurityException {
            KeyPair pair = DkimKeys.generate(alg, DkimKeys.DEFAULT_RSA_BITS);
            String pem = DkimKeys.toPem(pair.getPrivate());
            Path file = store.path("example.test", selector, alg);
            Files.createDirectories(file.getParent());
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            return pem;
        }

        static OutboundSigner.Sender sender() {
            return new OutboundSigner.Sender("example.test", null, true);
        }

        @TearDown
        public void tearDown() throws IOException {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The signature alone, as DKIM makes it for each message: a new Signature object, initSign, update, sign. */
    @Benchmark
    public byte[] primitiveSign(Primitive p) throws GeneralSecurityException {
        Signature s = Signature.getInstance(p.jcaName, p.jca);
        s.initSign(p.key);
        s.update(p.input);
        return s.sign();
    }

    /** rsa-sha256 of the header data by each engine, as {@code DkimSigner} makes it ({@link RsaEngine}). */
    @Benchmark
    public byte[] rsaSignByEngine(RsaEngineKey k) throws GeneralSecurityException {
        return DkimParts.sign(DkimAlgorithm.RSA_SHA256, k.key, k.data);
    }

    /** The same with one Signature object kept: what the provider look-up costs. */
    @Benchmark
    public byte[] primitiveSignReused(Primitive p) throws GeneralSecurityException {
        p.reused.initSign(p.key);
        p.reused.update(p.input);
        return p.reused.sign();
    }

    /** The body through relaxed canonicalization into SHA-256 (the default {@code c=relaxed/relaxed}). */
    @Benchmark
    public byte[] bodyHashRelaxed(Body b) {
        return DkimParts.bodyHash(Canonicalization.RELAXED, b.message, b.bodyOffset);
    }

    /** The body through simple canonicalization into SHA-256. */
    @Benchmark
    public byte[] bodyHashSimple(Body b) {
        return DkimParts.bodyHash(Canonicalization.SIMPLE, b.message, b.bodyOffset);
    }

    /** SHA-256 of the body octets as they are: the floor under both canonicalizations. */
    @Benchmark
    public byte[] bodySha256Only(Body b) throws GeneralSecurityException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(b.message, b.bodyOffset, b.message.length - b.bodyOffset);
        return digest.digest();
    }

    /** Reading the header block from a stream, as the session does before signing. */
    @Benchmark
    public HeaderBlock headerRead(Headers h) throws IOException {
        return HeaderBlock.read(new ByteArrayInputStream(h.message));
    }

    /** The {@code h=} names chosen and those fields canonicalized (relaxed), with the DKIM-Signature field. */
    @Benchmark
    public byte[] headerData(Headers h) {
        return h.data();
    }

    /** The keys of a domain from the store when nothing changed on disk (the per-message look-up). */
    @Benchmark
    public Object keyStoreLookup(Keys k) throws IOException {
        return k.store.keys("example.test");
    }

    /** Parsing an RSA-2048 PKCS#8 PEM key: what each message would pay if keys were read per message. */
    @Benchmark
    public PrivateKey pemParseRsa(Keys k) throws GeneralSecurityException {
        return DkimKeys.fromPem(k.rsaPem, DkimAlgorithm.RSA_SHA256);
    }

    /** Parsing an Ed25519 PKCS#8 PEM key. */
    @Benchmark
    public PrivateKey pemParseEd25519(Keys k) throws GeneralSecurityException {
        return DkimKeys.fromPem(k.ed25519Pem, DkimAlgorithm.ED25519_SHA256);
    }

    /**
     * One submitted 10 KiB message signed as the session signs it: header read, signing domain, keys from the
     * store, body hash, an rsa-sha256 and an ed25519-sha256 signature.
     */
    @Benchmark
    public OutboundSigner.Signed outboundSignBoth(Keys k) throws IOException {
        return k.signer.sign(new ByteArrayInputStream(k.message), Keys.sender());
    }

    /** Runs these benchmarks (JMH options may be given); see {@link DkimBenchmark#main} for the command. */
    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args);
        OptionsBuilder builder = new OptionsBuilder();
        if (options.getIncludes().isEmpty()) {
            builder.include(DkimPartsBenchmark.class.getName()); // a pattern given on the command line chooses instead
        }
        new Runner(builder.parent(options).build()).run();
    }
}
