package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.auth.PasswordHasher;
import dev.tern.auth.StoredPasswords;
import dev.tern.config.ListenerSettings;
import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session README.md shows, typed into {@code openssl s_client -starttls smtp} exactly as written there:
 * no {@code -crlf}, so every line ends with a bare LF, as when a person presses Enter. The lines come from
 * the README itself, so the documentation and the product cannot drift apart.
 */
class HandTypedSessionIT {

    private static final String MARKER = "<!-- typed-session:";
    private static final Pattern SERVER_LINE = Pattern.compile("^\\d{3}[ -].*");

    @TempDir
    Path data;

    /** One line of the README session: typed by the person, or said by the server (a pattern). */
    private record Step(boolean typed, String text) {
    }

    @Test
    void theReadmeSessionDeliversTheTypedMessage() throws Exception {
        List<Step> steps = readmeSession();
        TernConfig config = TernConfig.defaults("mx.tern.test", data).withListeners(List.of(
                new ListenerSettings("submission", ListenerSettings.Role.SUBMISSION, "127.0.0.1", 0)));
        new FileDirectory(data, config.domains()).addUser("alice@localhost",
                StoredPasswords.derive(new PasswordHasher(), "a long passphrase".toCharArray()));
        try (Tern tern = Tern.start(config)) {
            List<String> command = List.of(steps.get(0).text().substring(2)
                    .replace("127.0.0.1:5587", "127.0.0.1:" + tern.port("submission")).split(" "));
            play(command, steps.subList(1, steps.size()));
            awaitDelivery(data.resolve("mail/localhost/alice/new"));
        }
        List<Path> delivered = TernFixture.list(data.resolve("mail/localhost/alice/new"));
        assertThat(delivered).hasSize(1);
        String message = Files.readString(delivered.get(0), StandardCharsets.UTF_8);
        assertThat(message).contains("\r\nSubject: typed by hand\r\n")
                .endsWith("\r\n\r\nHello Alice, this came through openssl s_client.\r\n");
        assertThat(message).doesNotContainPattern("[^\r]\n");
        assertThat(message).contains("with ESMTPSA");
    }

    private static void awaitDelivery(Path maildirNew) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (TernFixture.list(maildirNew).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Types each line after the server has said what the README shows before it. */
    private static void play(List<String> command, List<Step> steps) throws Exception {
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<String> output = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofPlatform().daemon(true).start(() -> readInto(openssl, output));
        List<String> seen = new ArrayList<>();
        try {
            OutputStream keyboard = openssl.getOutputStream();
            for (Step step : steps) {
                if (step.typed()) {
                    keyboard.write((step.text() + "\n").getBytes(StandardCharsets.US_ASCII)); // Enter: LF only
                    keyboard.flush();
                } else {
                    awaitLine(output, seen, Pattern.compile(step.text()));
                }
            }
        } finally {
            openssl.destroy();
            openssl.waitFor(5, TimeUnit.SECONDS);
            reader.join(5000);
        }
    }

    private static void awaitLine(BlockingQueue<String> output, List<String> seen, Pattern expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String line = output.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            seen.add(line);
            if (expected.matcher(line).matches()) {
                return;
            }
        }
        throw new AssertionError("openssl s_client never showed a line like '" + expected + "'; it showed " + seen);
    }

    private static void readInto(Process process, BlockingQueue<String> output) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException ended) {
            // the process was stopped
        }
    }

    /**
     * The fenced block after the README's marker: "$ " starts the command, a line with a reply code is what the
     * server says ("..." standing for any text), a line that is only "..." is skipped, the rest is typed.
     */
    private static List<Step> readmeSession() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int marker = readme.indexOf(MARKER);
        assertThat(marker).as("README.md has the typed session").isGreaterThan(0);
        int start = readme.indexOf("```text\n", marker) + "```text\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        List<Step> steps = new ArrayList<>();
        for (String line : block.split("\n", -1)) {
            if (line.equals("...")) {
                continue;
            }
            if (line.startsWith("$ ")) {
                steps.add(new Step(false, line));
            } else if (SERVER_LINE.matcher(line).matches()) {
                String[] parts = line.split("\\.\\.\\.", -1);
                StringBuilder regex = new StringBuilder();
                for (int i = 0; i < parts.length; i++) {
                    regex.append(i > 0 ? ".*" : "").append(Pattern.quote(parts[i]));
                }
                steps.add(new Step(false, regex.toString()));
            } else {
                steps.add(new Step(true, line));
            }
        }
        steps.remove(steps.size() - 1); // the empty string after the block's last line end
        assertThat(steps.get(0).text()).startsWith("$ openssl s_client -starttls smtp -connect 127.0.0.1:5587");
        return steps;
    }
}
