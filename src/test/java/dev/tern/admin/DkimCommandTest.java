package dev.tern.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.policy.dkim.DkimAlgorithm;
import dev.tern.policy.dkim.DkimKeyStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DkimCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        CommandLine cl = TernCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    @Test
    void keygenWritesAPrivateKeyAndPrintsItsRecordSplitInto255OctetStrings() throws Exception {
        Run run = run("dkim", "keygen", "Example.COM", "--selector", "s1", "--data", data());

        assertThat(run.exit()).as(run.err()).isZero();
        Path key = dir.resolve("data/dkim/example.com/s1.rsa.key");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent()))).isEqualTo("rwx------");
        assertThat(run.out()).contains("wrote " + key, "s1._domainkey.example.com. IN TXT ( \"v=DKIM1; k=rsa; p=MIIB");
        Matcher strings = Pattern.compile("\"([^\"]*)\"").matcher(run.out());
        StringBuilder value = new StringBuilder();
        int count = 0;
        while (strings.find()) {
            assertThat(strings.group(1).length()).isLessThanOrEqualTo(255);
            value.append(strings.group(1));
            count++;
        }
        assertThat(count).isEqualTo(2); // a 2048-bit key's record is about 400 octets
        assertThat(run("dkim", "show", "example.com", "--data", data()).out())
                .contains(value.substring(value.length() - 40));
        assertThat(new DkimKeyStore(dir.resolve("data/dkim")).keys("example.com")).hasSize(1);
    }

    @Test
    void ed25519KeysListAndShow() {
        assertThat(run("dkim", "keygen", "example.com", "--algorithm", "ed25519", "--data", data()).exit()).isZero();
        assertThat(run("dkim", "keygen", "example.com", "--selector", "old", "--bits", "1024", "--data", data()).exit())
                .isZero();

        Run list = run("dkim", "list", "--data", data());
        Run show = run("dkim", "show", "example.com", "--data", data());

        assertThat(list.out().lines()).hasSize(2);
        assertThat(list.out()).contains("example.com old rsa-sha256 ", "example.com tern");
        assertThat(list.out()).containsPattern("example.com tern20[0-9][0-9] ed25519-sha256 ");
        assertThat(show.out()).containsPattern("tern20[0-9][0-9]._domainkey.example.com. IN TXT \\( \"v=DKIM1;"
                + " k=ed25519; p=[A-Za-z0-9+/]{43}=\" \\)");
        assertThat(show.out()).contains("old._domainkey.example.com. IN TXT ( \"v=DKIM1; k=rsa; p=MIGf");
    }

    @Test
    void refusals() {
        run("dkim", "keygen", "example.com", "--selector", "s1", "--data", data());
        assertUserError(run("dkim", "keygen", "example.com", "--selector", "s1", "--data", data()), "already exists");
        assertUserError(run("dkim", "keygen", "example.com", "--algorithm", "dsa", "--data", data()), "unknown algorithm");
        assertUserError(run("dkim", "keygen", "example.com", "--bits", "512", "--data", data()), "between 1024");
        assertUserError(run("dkim", "keygen", "example.com", "--selector", "a b", "--data", data()), "bad selector");
        assertUserError(run("dkim", "show", "other.example", "--data", data()), "no DKIM key for other.example");
        assertThat(DkimAlgorithm.fromKeyType("rsa")).isPresent();
    }

    /** The domain and the selector name a directory and a file: nothing may be written outside dkim/. */
    @Test
    void keygenRefusesNamesThatCouldLeaveTheKeyDirectory() throws Exception {
        for (String domain : java.util.List.of("../evil", "../../evil", "..", dir.resolve("outside").toString(), "evil/..", "a/b.example",
                "a..b", ".example.com", "example.com.", "", "exa_mple.com", "-x.example", "x-.example",
                "[192.0.2.1]", "a\\b.example", "x".repeat(64) + ".example")) {
            assertUserError(run("dkim", "keygen", "--data", data(), "--", domain), "bad domain \"" + domain + "\"");
        }
        for (String selector : java.util.List.of("../x", "../../x", "..", ".", "a/b", "a..b", "x.", "", "-a",
                "a_b", "s1\u0000")) {
            assertUserError(run("dkim", "keygen", "example.com", "--selector", selector, "--data", data()),
                    "bad selector");
        }
        assertUserError(run("dkim", "show", "../evil", "--data", data()), "bad domain \"../evil\"");
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
        }
        assertThat(run("dkim", "keygen", "b\u00fccher.example", "--selector", "s-1.x", "--data", data()).exit()).isZero();
        assertThat(dir.resolve("data/dkim/xn--bcher-kva.example/s-1.x.rsa.key")).isRegularFile();
    }

    private static void assertUserError(Run run, String message) {
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains(message).doesNotContain("Exception");
        assertThat(run.err().strip().lines()).hasSize(1);
    }
}
