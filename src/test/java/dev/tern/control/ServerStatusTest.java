package dev.tern.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.queue.QueueCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerStatusTest {

    private static final ServerStatus STATUS = new ServerStatus("0.1.0", Instant.parse("2026-01-02T03:04:05Z"),
            Duration.ofSeconds(3725), List.of(new ServerStatus.Listener("mx", "0.0.0.0", 25, true),
                    new ServerStatus.Listener("submission", "::", 587, false)),
            new QueueCounts(1, 2, 3, Instant.parse("2026-01-02T03:10:00Z")));

    @Test
    void theLineReadsBackAsItWasWritten() {
        String line = STATUS.line();
        assertThat(line).doesNotContain("\n").startsWith("version=0.1.0 started=2026-01-02T03:04:05Z uptime=3725 ")
                .contains(" listener=submission,::,587,down");
        assertThat(ServerStatus.parse(line)).isEqualTo(STATUS);
        ServerStatus empty = new ServerStatus("0.1.0", STATUS.started(), Duration.ZERO, List.of(),
                new QueueCounts(0, 0, 0, null));
        assertThat(ServerStatus.parse(empty.line())).isEqualTo(empty);
    }

    @Test
    void wordsOfANewerServerAreSkippedAndGarbageIsRefused() {
        assertThat(ServerStatus.parse(STATUS.line() + " shiny=yes").listeners()).hasSize(2);
        assertThatThrownBy(() -> ServerStatus.parse("pong")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unreadable status");
        assertThatThrownBy(() -> ServerStatus.parse("started=yesterday")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerStatus.parse(STATUS.line() + " listener=mx"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusIsAnsweredOnlyByARunningServer() {
        assertThat(ControlCommands.execute("STATUS", null)).isEqualTo(ControlReply.error("no server is running"));
        assertThat(ControlCommands.execute("status", null, () -> STATUS)).isEqualTo(ControlReply.ok(STATUS.line()));
    }
}
