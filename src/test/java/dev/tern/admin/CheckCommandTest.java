package dev.tern.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {

    @TempDir
    Path dir;

    private Path config;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void writeRules() throws IOException {
        config = dir.resolve("tern.toml");
        Files.writeString(config, """
                hostname = "mx.example.com"

                [[rule]]
                name = "partner-net"
                client = "198.51.100.0/24"
                action = "accept"

                [[rule]]
                name = "noisy"
                helo = "*.noisy.example"
                action = "defer"

                [[rule]]
                name = "block-spammer"
                sender = "@spam.example"
                action = "reject"
                text = "Your domain is blocked"

                [[rule]]
                name = "review-legal"
                recipient = "legal@example.com"
                action = "hold"
                """);
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

    private Run check(String... args) {
        List<String> all = new ArrayList<>(List.of("check", "rules", "--config", config.toString()));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    @Test
    void showsTheStageTheRuleAndTheReply() {
        Run run = check("--from", "a@spam.example", "--to", "b@example.com", "--client", "192.0.2.7",
                "--helo", "mx.spam.example");
        assertThat(run.exit()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "connect: client 192.0.2.7: no rule decides yet",
                "helo: mx.spam.example: no rule decides yet",
                "mail: from <a@spam.example>, not authenticated: rule \"block-spammer\": reject: "
                        + "550 5.7.1 Your domain is blocked");
    }

    @Test
    void aConnectDecisionEndsTheWalk() {
        Run run = check("--from", "a@spam.example", "--to", "b@example.com", "--client", "198.51.100.9");
        assertThat(run.out().lines()).containsExactly("connect: client 198.51.100.9: rule \"partner-net\": accept: "
                + "later rules do not apply (relay and recipient checks still do)");
    }

    @Test
    void aHeloDeferShowsTheTemporaryReply() {
        Run run = check("--from", "a@b.example", "--to", "c@example.com", "--client", "2001:db8::1",
                "--helo", "Box.Noisy.Example");
        assertThat(run.out()).contains("helo: Box.Noisy.Example: rule \"noisy\": defer: 450 4.7.1 Try again later");
    }

    @Test
    void recipientsAreShownOneByOne() {
        Run run = check("--from", "<>", "--to", "legal@example.com", "--to", "<cfo@example.com>",
                "--client", "192.0.2.7", "--user", "alice@example.com");
        assertThat(run.exit()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "connect: client 192.0.2.7: no rule decides yet",
                "helo: none given: no rule decides yet",
                "mail: from <>, user alice@example.com: no rule decides yet",
                "rcpt: to <legal@example.com>: rule \"review-legal\": hold: accepted, then held in the queue for an operator",
                "rcpt: to <cfo@example.com>: no rule matches: default policy");
    }

    @Test
    void saysSoWhenNoRuleMatches() {
        Run run = check("--from", "a@b.example", "--to", "c@example.com", "--client", "192.0.2.7");
        assertThat(run.out().strip().lines()).last().isEqualTo("no rule matches: default policy");
        Run none = run("check", "rules", "--from", "a@b.example", "--to", "c@example.com", "--client", "192.0.2.7");
        assertThat(none.out()).endsWith("no rule matches: default policy" + System.lineSeparator());
    }

    @Test
    void aBadConfigurationIsOneLineWithFileKeyAndReason() throws IOException {
        Files.writeString(config, "[[rule]]\nsender = \"spam.example\"\naction = \"reject\"\n");
        Run run = check("--from", "a@b.example", "--to", "c@example.com", "--client", "192.0.2.7");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("tern: " + config + ": rule[0].sender: must be an address, "
                + "\"@domain\", a glob such as \"*@*.example.com\" or \"<>\"; for a whole domain write "
                + "\"@spam.example\", got \"spam.example\"");
    }

    @Test
    void badArgumentsAreRefusedWithoutAStackTrace() {
        Run client = check("--from", "a@b.example", "--to", "c@example.com", "--client", "mx.example.com");
        assertThat(client.exit()).isEqualTo(1);
        assertThat(client.err()).contains("--client: must be an IPv4 or IPv6 address").doesNotContain("\tat ");
        Run from = check("--from", "not an address", "--to", "c@example.com", "--client", "192.0.2.7");
        assertThat(from.exit()).isEqualTo(1);
        assertThat(from.err()).contains("--from: invalid address").doesNotContain("Exception");
        Run missing = check("--from", "a@b.example", "--client", "192.0.2.7");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("--to");
    }

    /** The example of docs/config-rules.md, over the rules of its Examples section. */
    @Test
    void theDocumentedExampleGivesTheDocumentedOutput() throws IOException {
        String docs = Files.readString(Path.of("docs", "config-rules.md"));
        String examples = docs.substring(docs.indexOf("## Examples"));
        StringBuilder rules = new StringBuilder();
        for (int at = examples.indexOf("```toml\n"); at >= 0; at = examples.indexOf("```toml\n", at + 1)) {
            int start = at + "```toml\n".length();
            rules.append(examples, start, examples.indexOf("```", start)).append('\n');
        }
        Files.writeString(config, rules.toString());
        int start = docs.indexOf("$ tern check rules");
        String example = docs.substring(start, docs.indexOf("```", start));
        Run run = check("--client", "192.0.2.7", "--helo", "mx.spam.example", "--from", "bob@spam.example",
                "--to", "alice@example.com");
        assertThat(example).contains("--config tern.toml --client 192.0.2.7 --helo mx.spam.example",
                "--from bob@spam.example --to alice@example.com");
        assertThat(run.out().lines()).containsExactlyElementsOf(example.lines().skip(2).toList());
    }

    @Test
    void helpExplainsTheCommand() {
        assertThat(run("--help").out()).contains("check");
        assertThat(run("check", "rules", "--help").out()).contains("--from", "--to", "--client", "--helo", "--user",
                "--config", "no rule matches");
    }
}
