package dev.tern.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The JSON log: every line the encoder writes parses as one JSON object, whatever a peer put in a value
 * (line breaks, quotes, {@code =}, U+2028); the mail log's fields are fields of their own.
 */
class JsonLineEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachEventIsOneLineOfJsonWithTheMailLogFields() throws Exception {
        List<ILoggingEvent> events = capture(() -> {
            MailLog.event("3FZ8K0A1B00042", "accepted").with("client", "203.0.113.9")
                    .with("helo", "evil\r\n3FZ8K0A1B00043: delivered to=<x@y>").address("from", "\"a \\\" b\"@example.org")
                    .with("reason", "line\u2028sep").with("to", "one").with("to", "two").with("message", "clash").log();
            MailLog.event(null, "refused").with("client", "192.0.2.1").warn();
            LoggerFactory.getLogger("tern.mail").error("failed {}", "here", new IllegalStateException("boom\nthere"));
        });
        JsonLineEncoder encoder = new JsonLineEncoder();
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : events) {
            text.append(new String(encoder.encode(event), StandardCharsets.UTF_8));
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.toString().split("\n", -1)) {
            if (!line.isEmpty()) {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as(line).isTrue();
                lines.add(node);
            }
        }
        assertThat(lines).hasSize(3);

        JsonNode accepted = lines.get(0);
        assertThat(accepted.path("level").asText()).isEqualTo("INFO");
        assertThat(accepted.path("logger").asText()).isEqualTo("tern.mail");
        assertThat(accepted.path("id").asText()).isEqualTo("3FZ8K0A1B00042");
        assertThat(accepted.path("event").asText()).isEqualTo("accepted");
        assertThat(accepted.path("client").asText()).isEqualTo("203.0.113.9");
        assertThat(accepted.path("helo").asText()).isEqualTo("evil\r\n3FZ8K0A1B00043: delivered to=<x@y>");
        assertThat(accepted.path("from").asText()).isEqualTo("\"a \\\" b\"@example.org");
        assertThat(accepted.path("reason").asText()).isEqualTo("line\u2028sep");
        assertThat(accepted.path("to").isArray()).isTrue();
        assertThat(accepted.path("to").get(1).asText()).isEqualTo("two");
        assertThat(accepted.path("message").asText()).startsWith("3FZ8K0A1B00042: accepted client=203.0.113.9");
        assertThat(accepted.path("message_").asText()).isEqualTo("clash");
        assertThat(accepted.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*");

        assertThat(lines.get(1).path("level").asText()).isEqualTo("WARN");
        assertThat(lines.get(1).has("id")).isFalse();
        assertThat(lines.get(2).path("message").asText()).isEqualTo("failed here");
        assertThat(lines.get(2).path("exception").asText()).contains("IllegalStateException: boom\nthere");
    }

    private static List<ILoggingEvent> capture(Runnable logging) {
        Logger mail = (Logger) LoggerFactory.getLogger("tern.mail");
        Level level = mail.getLevel();
        boolean additive = mail.isAdditive();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        mail.addAppender(appender);
        mail.setLevel(Level.INFO);
        mail.setAdditive(false);
        try {
            logging.run();
        } finally {
            mail.detachAppender(appender);
            mail.setLevel(level);
            mail.setAdditive(additive);
        }
        return appender.list;
    }
}
