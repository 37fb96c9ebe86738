package dev.tern.policy.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages Tern signs verify with dkimpy, an independent implementation: every conformance input, rsa-sha256 and
 * ed25519-sha256 at once, in both canonicalizations, with the default (over-signing) header set.
 *
 * <p>dkimpy comes from the Debian packages python3-dkim and python3-nacl; without them this test fails rather than
 * skips. Importing dkimpy is slow, so one Python process runs {@code dkim_verify.py}'s {@code main} per message.
 */
class DkimpyInteropTest {

    static final String PYTHON = "/usr/bin/python3";
    static final String INSTALL = "apt-get install -y python3-dkim python3-nacl";
    private static final String MISSING = "DKIMPY-MISSING";

    /** Runs dkim_verify.main(argv) for each line of argv (tab-separated), printing a marker and its exit code. */
    private static final String BATCH = """
            import sys
            try:
                import dkim, nacl
            except ImportError as e:
                print('%s: %%s' %% e); sys.exit(3)
            sys.path.insert(0, sys.argv[1])
            import dkim_verify
            for line in open(sys.argv[2]):
                argv = line.rstrip('\\n').split('\\t')
                print('=== ' + argv[0], flush=True)
                code = dkim_verify.main(argv)
                print('=== exit %%d' %% code, flush=True)
            """.formatted(MISSING);

    @TempDir
    static Path dir;
    private static final Map<String, String> outputs = new LinkedHashMap<>();
    private static final Map<String, Integer> exits = new LinkedHashMap<>();

    @BeforeAll
    static void signEveryInputAndVerifyWithDkimpy() throws Exception {
        Path root = DkimTestData.root();
        List<String> lines = new ArrayList<>();
        for (String message : DkimTestData.MESSAGES) {
            for (Canonicalization canon : Canonicalization.values()) {
                Path signed = dir.resolve(message + "." + canon.tagValue() + ".eml");
                Files.write(signed, sign(message, canon));
                lines.add(String.join("\t", signed.toString(),
                        "rsa2048._domainkey.example.test=@" + root.resolve("keys/rsa2048.dns"),
                        "ed25519._domainkey.example.test=@" + root.resolve("keys/ed25519.dns")));
            }
        }
        Path list = Files.writeString(dir.resolve("batch.tsv"), String.join("\n", lines) + "\n");
        String output = python(List.of(PYTHON, "-c", BATCH, root.toString(), list.toString()));
        String current = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("=== exit ")) {
                exits.put(current, Integer.parseInt(line.substring(9).strip()));
            } else if (line.startsWith("=== ")) {
                current = Path.of(line.substring(4)).getFileName().toString();
                outputs.put(current, "");
            } else if (current != null) {
                outputs.merge(current, line + "\n", String::concat);
            }
        }
    }

    private static byte[] sign(String message, Canonicalization canon) throws Exception {
        byte[] input = DkimTestData.bytes("messages/" + message + ".eml");
        DkimSigner signer = new DkimSigner(Clock.systemUTC(), SignOptions.defaults().withCanonicalization(canon, canon));
        List<String> fields = signer.sign(new ByteArrayInputStream(input),
                List.of(DkimTestData.rsaKey(), DkimTestData.ed25519Key()));
        return DkimTestData.concat(String.join("", fields), input);
    }

    @TestFactory
    Stream<DynamicTest> dkimpyVerifiesWhatTernSigns() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String message : DkimTestData.MESSAGES) {
            for (Canonicalization canon : Canonicalization.values()) {
                String file = message + "." + canon.tagValue() + ".eml";
                tests.add(DynamicTest.dynamicTest(message + " " + canon.tagValue() + "/" + canon.tagValue(), () -> {
                    String output = outputs.getOrDefault(file, "(dkimpy printed nothing for " + file + ")");
                    assertThat(exits.get(file)).as(output).isZero();
                    assertThat(output.lines().filter(l -> l.contains("a=rsa-sha256") && l.endsWith("-> PASS")))
                            .as(output).hasSize(1);
                    assertThat(output.lines().filter(l -> l.contains("a=ed25519-sha256") && l.endsWith("-> PASS")))
                            .as(output).hasSize(1);
                }));
            }
        }
        return tests.stream();
    }

    private static String python(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(PYTHON + " and dkimpy are needed for this test; install them with: " + INSTALL, e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("dkimpy did not finish: " + output);
        }
        if (output.contains(MISSING) || process.exitValue() != 0) {
            throw new AssertionError("dkimpy (Debian python3-dkim, python3-nacl) is needed for this test;"
                    + " install it with: " + INSTALL + "\n" + output);
        }
        return output;
    }
}
