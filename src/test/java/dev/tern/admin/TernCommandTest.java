package dev.tern.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.auth.PasswordHasher;
import dev.tern.auth.StoredPasswords;
import dev.tern.store.ScramCredential;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

class TernCommandTest {

    private static final PasswordHasher CHEAP = new PasswordHasher(new PasswordHasher.Cost(256, 1, 1));

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run input(String stdin, String... args) {
        CommandLine cl = TernCommand.commandLine(
                PasswordInput.stream(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))), CHEAP);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run run(String... args) {
        return input("", args);
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private static void assertUserError(Run run, String message) {
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains(message).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(run.err().strip().lines()).hasSize(1);
    }

    @Test
    void helpListsEveryCommand() {
        Run run = run("--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("domain", "user", "alias", "config");
        assertThat(run("user", "--help").out()).contains("add", "list", "remove", "passwd", "set");
        assertThat(run("user", "add", "--help").out()).contains("--data", "--config", "ADDRESS", "standard input");
    }

    @Test
    void everyCommandOptionAndParameterHasADescription() {
        List<String> missing = new ArrayList<>();
        walk(TernCommand.commandLine().getCommandSpec(), missing);
        assertThat(missing).isEmpty();
    }

    private static void walk(CommandSpec spec, List<String> missing) {
        if (String.join("", spec.usageMessage().description()).isBlank()) {
            missing.add(spec.qualifiedName());
        }
        for (OptionSpec option : spec.options()) {
            if (String.join("", option.description()).isBlank()) {
                missing.add(spec.qualifiedName() + " " + option.longestName());
            }
        }
        for (PositionalParamSpec param : spec.positionalParameters()) {
            if (String.join("", param.description()).isBlank()) {
                missing.add(spec.qualifiedName() + " " + param.paramLabel());
            }
        }
        spec.subcommands().values().forEach(sub -> walk(sub.getCommandSpec(), missing));
    }

    @Test
    void domainsAreAddedListedAndRemoved() {
        assertThat(run("domain", "add", "--data", data(), "Example.COM").out()).isEqualTo("added domain example.com\n");
        assertThat(run("domain", "add", "--data", data(), "bücher.example").exit()).isZero();
        assertThat(run("domain", "list", "--data", data()).out())
                .isEqualTo("example.com\nlocalhost\nxn--bcher-kva.example (bücher.example)\n");
        assertUserError(run("domain", "add", "--data", data(), "example.com"), "tern: domain example.com is already local");
        assertThat(run("domain", "remove", "--data", data(), "example.com").exit()).isZero();
        assertUserError(run("domain", "remove", "--data", data(), "localhost"), "listed in the config file");
    }

    /** The stored SCRAM-SHA-256 verifier is the one this password gives with the stored salt. */
    private static void assertScramVerifier(String stored, String password) {
        ScramCredential scram = ScramCredential.parse(stored);
        assertThat(scram.iterations()).isEqualTo(StoredPasswords.SCRAM_ITERATIONS);
        assertThat(StoredPasswords.scramSha256(password.toCharArray(), scram.salt(), scram.iterations())).hasValue(scram);
    }

    @Test
    void aPasswordScramCannotTakeIsStoredWithANote() throws IOException {
        Run added = input("tab\there\n", "user", "add", "--data", data(), "alice@localhost");
        assertThat(added.exit()).isZero();
        assertThat(added.err()).contains("PLAIN or LOGIN but not SCRAM-SHA-256");
        assertThat(Files.readAllLines(dir.resolve("data/users")).get(1).split(" ")).hasSize(2);
    }

    @Test
    void aUserIsAddedWithAPasswordFromStandardInput() throws IOException {
        Run added = input("hunter2\n", "user", "add", "--data", data(), "Alice@localhost");
        assertThat(added.exit()).isZero();
        assertThat(added.out()).isEqualTo("added user alice@localhost\n");
        String line = Files.readAllLines(dir.resolve("data/users")).get(1);
        assertThat(line).startsWith("alice@localhost $argon2id$");
        assertThat(CHEAP.verify("hunter2".toCharArray(), line.split(" ")[1])).isTrue();
        assertScramVerifier(line.split(" ")[2], "hunter2");
        assertThat(run("user", "list", "--data", data()).out()).isEqualTo("alice@localhost\n");

        assertThat(input("correct horse\r\n", "user", "passwd", "--data", data(), "alice@localhost").exit()).isZero();
        String[] changed = Files.readAllLines(dir.resolve("data/users")).get(1).split(" ");
        assertThat(CHEAP.verify("correct horse".toCharArray(), changed[1])).isTrue();
        assertScramVerifier(changed[2], "correct horse");

        assertThat(run("user", "remove", "--data", data(), "alice@localhost").out()).isEqualTo("removed user alice@localhost\n");
        assertThat(run("user", "list", "--data", data()).out()).isEmpty();
    }

    @Test
    void badPasswordsAndAddressesAreOneLineErrors() {
        assertUserError(input("\n", "user", "add", "--data", data(), "alice@localhost"), "tern: empty password refused");
        assertUserError(input("", "user", "add", "--data", data(), "alice@localhost"), "no password");
        assertUserError(input("pw\n", "user", "add", "--data", data(), "al/ice@localhost"), "invalid local part");
        assertUserError(input("pw\n", "user", "add", "--data", data(), "alice@example.com"),
                "domain example.com is not a local domain");
        assertUserError(input("pw\n", "user", "passwd", "--data", data(), "bob@localhost"), "no such user: bob@localhost");
        assertThat(input("pw\n", "user", "add", "--data", data(), "alice@localhost").exit()).isZero();
        assertUserError(input("pw\n", "user", "add", "--data", data(), "alice@localhost"), "already exists");
    }

    @Test
    void aliasesAreAddedListedAndRemoved() {
        input("pw\n", "user", "add", "--data", data(), "alice@localhost");
        input("pw\n", "user", "add", "--data", data(), "bob@localhost");
        assertThat(run("alias", "add", "--data", data(), "sales@localhost", "alice@localhost", "bob@localhost").out())
                .isEqualTo("added alias sales@localhost\n");
        assertThat(run("alias", "add", "--data", data(), "@localhost", "bob@localhost").exit()).isZero();
        assertThat(run("alias", "list", "--data", data()).out())
                .isEqualTo("@localhost: bob@localhost\nsales@localhost: alice@localhost, bob@localhost\n");
        assertUserError(run("alias", "add", "--data", data(), "x@localhost"), "TARGET");
        assertThat(run("alias", "remove", "--data", data(), "sales@localhost").exit()).isZero();
        assertUserError(run("alias", "remove", "--data", data(), "sales@localhost"), "no such alias");
    }

    @Test
    void anAliasMayForwardToAnotherDomainWithItsLocalPartAsWritten() {
        input("pw\n", "user", "add", "--data", data(), "alice@localhost");
        assertThat(run("alias", "add", "--data", data(), "list@localhost", "alice@localhost", "Carol.O'Neil@Elsewhere.Example")
                .exit()).isZero();
        assertThat(run("alias", "list", "--data", data()).out())
                .isEqualTo("list@localhost: alice@localhost, Carol.O'Neil@elsewhere.example\n");
        // in a local domain a target must still name a possible user
        assertUserError(run("alias", "add", "--data", data(), "odd@localhost", "o'neil@localhost"), "invalid target");
        assertUserError(run("alias", "add", "--data", data(), "bad@localhost", "carol@"), "invalid target");
    }

    @Test
    void quotasAreSetPerUserOrLeftToTheDefault() {
        assertThat(input("pw\n", "user", "add", "--data", data(), "--quota", "2GiB", "alice@localhost").exit()).isZero();
        input("pw\n", "user", "add", "--data", data(), "bob@localhost");
        assertThat(run("user", "list", "--quotas", "--data", data()).out())
                .isEqualTo("alice@localhost quota=2GiB\nbob@localhost quota=none (default)\n");
        assertThat(run("user", "set", "--data", data(), "bob@localhost", "--quota", "500MiB").out())
                .isEqualTo("quota of bob@localhost: 500MiB\n");
        assertThat(run("user", "set", "--data", data(), "alice@localhost", "--quota", "default").out())
                .isEqualTo("quota of alice@localhost: the default (none)\n");
        assertThat(run("user", "list", "--quotas", "--data", data()).out())
                .isEqualTo("alice@localhost quota=none (default)\nbob@localhost quota=500MiB\n");
        assertUserError(run("user", "set", "--data", data(), "bob@localhost", "--quota", "lots"), "--quota");
        assertUserError(run("user", "set", "--data", data(), "carol@localhost", "--quota", "1GiB"), "no such user");
        // removing a user forgets the quota
        assertThat(run("user", "remove", "--data", data(), "bob@localhost").exit()).isZero();
        input("pw\n", "user", "add", "--data", data(), "bob@localhost");
        assertThat(run("user", "list", "--quotas", "--data", data()).out()).contains("bob@localhost quota=none (default)");
    }

    @Test
    void theConfigFileGivesDataDirAndDomainsUnlessDataIsGiven() throws IOException {
        Path config = dir.resolve("tern.toml");
        Files.writeString(config, "data_dir = \"state\"\ndomains = [\"example.com\"]\n");
        assertThat(input("pw\n", "user", "add", "--config", config.toString(), "alice@example.com").exit()).isZero();
        assertThat(dir.resolve("state/users")).exists();
        assertThat(input("pw\n", "user", "add", "--config", config.toString(), "--data", data(), "bob@example.com")
                .exit()).isZero();
        assertThat(run("user", "list", "--data", data()).out()).isEqualTo("bob@example.com\n");
        assertThat(run("domain", "list", "--config", config.toString()).out()).isEqualTo("example.com\n");
    }

    @Test
    void newVerifiersGetTheConfiguredScramIterations() throws IOException {
        Path config = dir.resolve("tern.toml");
        Files.writeString(config, "data_dir = \"state\"\ndomains = [\"example.com\"]\n[auth]\nscram_iterations = 5000\n");
        assertThat(input("pw\n", "user", "add", "--config", config.toString(), "alice@example.com").exit()).isZero();
        String line = Files.readAllLines(dir.resolve("state/users")).get(1);
        ScramCredential scram = ScramCredential.parse(line.split(" ")[2]);
        assertThat(scram.iterations()).isEqualTo(5000);
        assertThat(StoredPasswords.scramSha256("pw".toCharArray(), scram.salt(), 5000)).hasValue(scram);
    }

    @Test
    void configCheckPrintsOkOrTheProblem() throws IOException {
        Run ok = run("config", "check", "examples/tern.toml");
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).isEqualTo("OK\n");

        Path bad = dir.resolve("bad.toml");
        Files.writeString(bad, "[limits]\nmax_recipients = 0\n");
        assertUserError(run("config", "check", bad.toString()),
                "tern: " + bad + ": limits.max_recipients: must be between 1 and 100000, got 0");
        assertUserError(run("config", "check", dir.resolve("absent.toml").toString()), "no such file");
        assertUserError(run("user", "list", "--config", bad.toString()), "limits.max_recipients");
    }

    @Test
    void usageErrorsAreOneLineWithExitCodeOne() {
        assertUserError(run("user"), "tern user: missing subcommand: one of add, list, remove, passwd");
        assertUserError(run("user", "add", "--bogus", "x@localhost"), "Unknown option: '--bogus'");
        assertUserError(run("frobnicate"), "Unmatched argument");
        assertUserError(run(), "missing subcommand");
    }

    @Test
    void otherPackagesCanAddTheirCommands() {
        CommandLine cl = TernCommand.commandLine();
        cl.addSubcommand("serve", new Serve());
        assertThat(cl.execute("serve")).isEqualTo(42);
    }

    @Command(name = "serve", description = "Stand-in for a command another package adds.")
    static final class Serve implements Callable<Integer> {
        @Override
        public Integer call() {
            return 42;
        }
    }
}
