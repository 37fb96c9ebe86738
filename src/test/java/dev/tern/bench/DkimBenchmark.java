package dev.tern.bench;

import dev.tern.dns.DnsResult;
import dev.tern.policy.dkim.DkimAlgorithm;
import dev.tern.policy.dkim.DkimKey;
import dev.tern.policy.dkim.DkimKeys;
import dev.tern.policy.dkim.DkimResult;
import dev.tern.policy.dkim.DkimSigner;
import dev.tern.policy.dkim.DkimVerifier;
import dev.tern.policy.dkim.KeyLookup;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Signing and verifying one message with DKIM: 10 KiB and 1 MiB, rsa-sha256 (2048 bits) and ed25519-sha256.
 * Verifying includes the key record parse (served from memory, no DNS). Run with {@link #main}; see
 * docs/config-dkim.md or the class's main for the command.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class DkimBenchmark {

    @Param({"10240", "1048576"})
    public int size;

    @Param({"rsa-sha256", "ed25519-sha256"})
    public String algorithm;

    private byte[] message;
    private byte[] signed;
    private List<DkimKey> keys;
    private DkimSigner signer;
    private DkimVerifier verifier;

    @Setup
    public void setUp() throws Exception {
        DkimAlgorithm alg = DkimAlgorithm.fromTag(algorithm).orElseThrow();
        KeyPair pair = DkimKeys.generate(alg, DkimKeys.DEFAULT_RSA_BITS);
        keys = List.of(new DkimKey("example.test", "bench", alg, pair.getPrivate()));
        String record = DkimKeys.recordValue(alg, pair.getPublic());
        KeyLookup lookup = name -> new DnsResult.Answer<>(List.of(record), false);
        signer = DkimSigner.standard();
        verifier = new DkimVerifier(lookup, Clock.systemUTC());
        message = message(size);
        signed = concat(String.join("", sign()).getBytes(StandardCharsets.US_ASCII), message);
        if (!verify().get(0).passed()) {
            throw new IllegalStateException("the benchmark message does not verify");
        }
    }

    @Benchmark
    public List<String> sign() throws IOException {
        return signer.sign(new ByteArrayInputStream(message), keys);
    }

    @Benchmark
    public List<DkimResult> verify() throws IOException {
        return verifier.verify(new ByteArrayInputStream(signed));
    }

    /** A plain text message of about {@code size} octets: typical headers, 76-character lines. */
    static byte[] message(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 1024);
        out.writeBytes(("From: Alice <alice@example.test>\r\nTo: Bob <bob@example.test>\r\n"
                + "Subject: benchmark\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\n"
                + "Message-ID: <bench@example.test>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] line = ("The quick brown fox jumps over the lazy dog;  then it rests a while.    \t  x\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        while (out.size() < size) {
            out.writeBytes(line);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Runs these benchmarks (JMH options may be given, e.g. {@code -f 1 -wi 2 -i 3}, and a pattern such as
     * {@code 'DkimBenchmark.sign$'} to run only those; {@code -prof dev.tern.bench.CpuTimeProfiler} adds the CPU
     * time per operation). From the project directory:
     * <pre>
     * mvn -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
     * java -cp target/test-classes:target/classes:$(cat target/test.classpath) dev.tern.bench.DkimBenchmark
     * </pre>
     */
    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args);
        OptionsBuilder builder = new OptionsBuilder();
        if (options.getIncludes().isEmpty()) {
            builder.include(DkimBenchmark.class.getName()); // a pattern given on the command line chooses instead
        }
        new Runner(builder.parent(options).build()).run();
    }
}
