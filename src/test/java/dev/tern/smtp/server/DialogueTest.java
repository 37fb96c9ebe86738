package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.SmtpLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every dialogue script in {@code src/test/resources/dialogues/}: one file per protocol corner or bug.
 *
 * <pre>
 * # comment
 * set max_recipients 3      a limit for this dialogue
 * set role SUBMISSION       the listener's role (default MX)
 * set trusted 192.0.2.0/24  a trusted network (the dialogue's client is 192.0.2.1)
 * set rules TOML            filtering rules, TOML with \n for line breaks
 * set tls                   the connection counts as encrypted (as after STARTTLS)
 * set fresh-authenticator   an authenticator of its own (alice@localhost / secret), throttle counts from zero
 * set rate KEY N           a [rate_limits] limit for this dialogue (client_messages_per_hour 2)
 * > EHLO client.example     a client line; CRLF is added; escapes \r \n \t \0 \\ \xNN
 * >> .\n.\r\n               raw client bytes, nothing added
 * &lt; 250 2.1.0              the next server line must start with this (a regular expression)
 * &lt;... 250 HELP            skip server lines until one starts with this
 * = queued 1                messages committed to the spool
 * = held 1                  of those, messages held for an operator
 * = contains TEXT           a committed message holds TEXT (escapes allowed)
 * = lacks TEXT              no committed message holds TEXT
 * = envelope 2 requiretls   the second committed message's RFC 8689 flags: requiretls, tlsoptional, or none
 * </pre>
 * Every server line must be matched: extra replies fail the dialogue.
 */
class DialogueTest {

    @TestFactory
    Stream<DynamicTest> dialogues() throws IOException, URISyntaxException {
        Path dir = Path.of(DialogueTest.class.getResource("/dialogues").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList().stream()
                    .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> runScript(file)));
        }
    }

    private static dev.tern.policy.ratelimit.RateLimits rateLimits(String key, int value) {
        dev.tern.config.RateLimitSettings.Limit limit = java.util.Arrays.stream(dev.tern.config.RateLimitSettings.Limit.values())
                .filter(l -> l.key().equals(key)).findFirst().orElseThrow(() -> new IllegalArgumentException(key));
        return new dev.tern.policy.ratelimit.RateLimits(dev.tern.config.RateLimitSettings.defaults().with(
                java.util.Map.of(limit, value)), List.of(), java.time.InstantSource.system());
    }

    /** How a dialogue's client bytes reach a session: in memory here, over a socket in DialogueSocketIT. */
    @FunctionalInterface
    interface Runner {
        List<String> run(SessionHarness harness, byte[] client) throws IOException;
    }

    private static void runScript(Path file) throws IOException {
        runScript(file, Files.readAllLines(file, StandardCharsets.UTF_8), SessionHarness::run);
    }

    /** Runs one script's lines (perhaps adapted by the caller) through {@code runner} and checks every reply. */
    static void runScript(Path file, List<String> script, Runner runner) throws IOException {
        SessionHarness harness = new SessionHarness();
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        for (String line : script) {
            if (line.startsWith("set role ")) {
                harness.role = dev.tern.config.ListenerSettings.Role.valueOf(line.split(" ")[2]);
            } else if (line.startsWith("set trusted ")) {
                harness.trusted = List.of(dev.tern.mail.IpNetwork.parse(line.split(" ")[2]));
            } else if (line.equals("set tls")) {
                harness.tls = true;
            } else if (line.equals("set fresh-authenticator")) {
                harness.authenticator = TestAuthenticator.create();
            } else if (line.equals("set still-account-delays")) {
                harness.authenticator = TestAuthenticator.withStillAccountDelays();
            } else if (line.startsWith("set rate ")) {
                harness.rateLimits = rateLimits(line.split(" ")[2], Integer.parseInt(line.split(" ")[3]));
            } else if (line.startsWith("set rules ")) {
                harness.rules = rules(line.substring("set rules ".length()));
            } else if (line.startsWith("set ")) {
                harness.limits = dev.tern.config.TestLimits.with(harness.limits, line.split(" ")[1], line.split(" ")[2]);
            } else if (line.startsWith(">> ")) {
                client.write(unescape(line.substring(3)));
            } else if (line.equals(">") || line.startsWith("> ")) {
                client.write(unescape(line.substring(Math.min(2, line.length()))));
                client.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        List<String> server = runner.run(harness, client.toByteArray());
        int at = 0;
        for (String line : script) {
            if (line.startsWith("<... ")) {
                Pattern p = Pattern.compile(line.substring(5));
                while (at < server.size() && !p.matcher(server.get(at)).lookingAt()) {
                    at++;
                }
                assertThat(at).as("%s: no server line matching '%s' in %s", file.getFileName(), line, server)
                        .isLessThan(server.size());
                at++;
            } else if (line.startsWith("< ")) {
                assertThat(at).as("%s: expected '%s' but the server said no more: %s", file.getFileName(), line, server)
                        .isLessThan(server.size());
                assertThat(Pattern.compile(line.substring(2)).matcher(server.get(at)).lookingAt())
                        .as("%s: server line %d '%s' does not match '%s'", file.getFileName(), at, server.get(at), line)
                        .isTrue();
                at++;
            } else if (line.startsWith("= ")) {
                checkSpool(file, harness.spool, line.substring(2));
            }
        }
        assertThat(server.subList(at, server.size())).as("%s: unexpected server lines", file.getFileName()).isEmpty();
        assertThat(harness.spool.openDrafts).as("%s: drafts left open", file.getFileName()).isZero();
    }

    private static void checkSpool(Path file, MemorySpool spool, String check) {
        String[] parts = check.split(" ", 2);
        switch (parts[0]) {
            case "queued" -> assertThat(spool.committed).as(file.getFileName() + ": queued").hasSize(Integer.parseInt(parts[1]));
            case "held" -> assertThat(spool.committed.stream().filter(m -> m.holdReason() != null))
                    .as(file.getFileName() + ": held").hasSize(Integer.parseInt(parts[1]));
            case "contains" -> assertThat(texts(spool)).as(file.getFileName() + ": no message holds it")
                    .anyMatch(text -> text.contains(new String(unescape(parts[1]), StandardCharsets.UTF_8)));
            case "lacks" -> assertThat(texts(spool)).as(file.getFileName() + ": a message holds it")
                    .noneMatch(text -> text.contains(new String(unescape(parts[1]), StandardCharsets.UTF_8)));
            case "envelope" -> {
                String[] which = parts[1].split(" ", 2);
                int index = Integer.parseInt(which[0]) - 1;
                assertThat(spool.committed).as(file.getFileName() + ": queued").hasSizeGreaterThan(index);
                dev.tern.mail.Envelope e = spool.committed.get(index).envelope();
                String flags = e.requireTls() ? "requiretls" : e.tlsOptional() ? "tlsoptional" : "none";
                assertThat(flags).as(file.getFileName() + ": envelope " + which[0]).isEqualTo(which[1]);
            }
            default -> throw new IllegalArgumentException("unknown check: " + check);
        }
    }

    private static List<String> texts(MemorySpool spool) {
        assertThat(spool.committed).isNotEmpty();
        return spool.committed.stream().map(MemorySpool.Stored::text).toList();
    }

    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b != '\\' || i + 1 >= utf8.length) {
                out.write(b);
                continue;
            }
            char next = (char) utf8[++i];
            switch (next) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '0' -> out.write(0);
                case 'x' -> {
                    out.write(Integer.parseInt(new String(utf8, i + 1, 2, StandardCharsets.US_ASCII), 16));
                    i += 2;
                }
                default -> out.write(next);
            }
        }
        return out.toByteArray();
    }

    private static dev.tern.config.RuleSettings rules(String toml) throws IOException {
        Path file = Files.createTempFile("rules", ".toml");
        try {
            Files.writeString(file, toml.replace("\\n", "\n"));
            return dev.tern.config.RulesReader.load(file);
        } catch (dev.tern.config.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

}
