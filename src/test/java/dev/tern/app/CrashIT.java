package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.store.FileDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1, the hard way: the server runs in a child JVM under load and is killed with SIGKILL; after a
 * restart, every message that got a 250 is in the mailbox.
 */
class CrashIT {

    private static final Pattern PORT = Pattern.compile("smtp://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern SEQ = Pattern.compile("X-Seq: (\\d+)");

    @TempDir
    Path data;

    @Test
    void killDashNineLosesNoAcknowledgedMessage() throws Exception {
        new FileDirectory(data, List.of("localhost")).addUser("alice@localhost", "unused");
        Path config = data.resolve("tern.toml");
        Files.writeString(config, """
                hostname = "crash.tern.test"
                [[listener]]
                name = "mx"
                role = "mx"
                address = "127.0.0.1"
                port = 0
                """);

        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        Process server = startServer(config);
        int port = awaitPort(server);
        AtomicInteger next = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            senders.execute(() -> sendUntilRefused(port, next, acknowledged));
        }
        Instant until = Instant.now().plusSeconds(20);
        while (acknowledged.size() < 150 && Instant.now().isBefore(until)) {
            Thread.sleep(10);
        }
        server.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        server.waitFor(10, TimeUnit.SECONDS);
        senders.shutdown();
        assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(20);

        Process restarted = startServer(config);
        try {
            awaitPort(restarted);
            Map<Integer, Integer> stored = awaitAll(acknowledged, Duration.ofSeconds(60));
            assertThat(stored.keySet()).containsAll(acknowledged);
            long duplicates = stored.values().stream().filter(n -> n > 1).count();
            assertThat(duplicates).as("messages delivered twice (only the deliveries in flight may repeat)")
                    .isLessThanOrEqualTo(20);
        } finally {
            restarted.destroyForcibly();
            restarted.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process startServer(Path config) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, ChildTern.NATIVE_ACCESS, "-cp", System.getProperty("java.class.path"),
                "dev.tern.app.Main",
                "serve", "--config", config.toString(), "--data", data.toString())
                .redirectErrorStream(true).start();
    }

    private static int awaitPort(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = PORT.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> drain(out)); // keep the pipe from filling up
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IOException("server exited before listening");
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // discard
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    private static void sendUntilRefused(int port, AtomicInteger next, Set<Integer> acknowledged) {
        try (SmtpTestClient client = new SmtpTestClient(port)) {
            client.reply();
            client.command("EHLO load.tern.test");
            while (true) {
                int seq = next.incrementAndGet();
                String reply = client.sendMessage("load@remote.test", "alice@localhost",
                        "From: load@remote.test\r\nSubject: crash " + seq + "\r\nX-Seq: " + seq + "\r\n\r\n" + "x".repeat(500));
                if (reply == null) {
                    return;
                }
                if (reply.startsWith("250")) {
                    acknowledged.add(seq);
                }
            }
        } catch (IOException expected) {
            // the server was killed
        }
    }

    private Map<Integer, Integer> awaitAll(Set<Integer> acknowledged, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Map<Integer, Integer> stored;
        do {
            Thread.sleep(200);
            stored = storedSequences();
        } while (!stored.keySet().containsAll(acknowledged) && Instant.now().isBefore(deadline));
        return stored;
    }

    private Map<Integer, Integer> storedSequences() throws IOException {
        Map<Integer, Integer> counts = new HashMap<>();
        for (Path file : TernFixture.list(data.resolve("mail/localhost/alice/new"))) {
            Matcher m = SEQ.matcher(Files.readString(file, StandardCharsets.UTF_8));
            if (m.find()) {
                counts.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
            }
        }
        return counts;
    }
}
