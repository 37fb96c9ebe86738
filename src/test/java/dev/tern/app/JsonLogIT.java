package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.store.FileDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [log] format = "json"} with the production logback.xml, in a child JVM: every line the server
 * writes is one JSON object (Jackson parses each), and the mail log's fields are fields of their own, a
 * hostile sender address kept whole inside its string.
 */
class JsonLogIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("listening for mx on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path data;

    @Test
    void everyLineIsOneJsonObjectWithTheMailLogFieldsAsFields() throws Exception {
        new FileDirectory(data, List.of("localhost")).addUser("alice@localhost", "unused");
        Path config = data.resolve("tern.toml");
        Files.writeString(config, """
                hostname = "json.tern.test"
                [[listener]]
                name = "mx"
                address = "127.0.0.1"
                port = 0
                [log]
                format = "json"
                """);
        Path output = data.resolve("out.log");
        try (ChildTern server = ChildTern.start(config, data, output,
                "-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath())) {
            int port = awaitPort(server);
            try (SmtpTestClient client = new SmtpTestClient(port)) {
                client.reply();
                client.command("EHLO json.tern.test");
                assertThat(client.sendMessage("\"x y=z\"@remote.test", "alice@localhost",
                        "Subject: json\r\n\r\nbody")).startsWith("250 ");
                client.command("QUIT");
            }
            awaitLine(server, "\"event\":\"delivered\"");
            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(60))).isEqualTo(0);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            JsonNode node = JSON.readTree(line); // throws on anything that is not JSON
            assertThat(node.isObject()).as(line).isTrue();
            assertThat(node.path("time").isTextual() && node.path("level").isTextual()).as(line).isTrue();
            lines.add(node);
        }
        JsonNode accepted = lines.stream().filter(n -> n.path("event").asText().equals("accepted")).findFirst()
                .orElseThrow(() -> new AssertionError("no accepted line in " + lines));
        assertThat(accepted.path("logger").asText()).isEqualTo("tern.mail");
        assertThat(accepted.path("id").asText()).matches("[0-9A-Z]+");
        assertThat(accepted.path("client").asText()).isEqualTo("127.0.0.1");
        assertThat(accepted.path("helo").asText()).isEqualTo("json.tern.test");
        assertThat(accepted.path("from").asText()).as("a hostile sender, whole in its string")
                .isEqualTo("\"x y=z\"@remote.test");
        assertThat(lines).anyMatch(n -> n.path("event").asText().equals("stopped"));
    }

    private static int awaitPort(ChildTern server) throws Exception {
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            Matcher m = LISTENING.matcher(server.output());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not start:\n" + server.output());
    }

    private static void awaitLine(ChildTern server, String text) throws Exception {
        Instant until = Instant.now().plusSeconds(60);
        while (!server.output().contains(text) && Instant.now().isBefore(until)) {
            Thread.sleep(50);
        }
    }
}
