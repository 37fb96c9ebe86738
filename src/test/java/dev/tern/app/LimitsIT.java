package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.SmtpLimits;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection limits and timeouts over real sockets (invariant 7). */
class LimitsIT {

    @TempDir
    Path data;

    private static SmtpLimits limits(int perClient, Duration command, Duration session) {
        SmtpLimits d = SmtpLimits.defaults();
        return new SmtpLimits(d.maxCommandLine(), d.maxTextLine(), d.maxMessageSize(), d.maxRecipients(),
                d.maxErrors(), command, d.dataTimeout(), session, d.maxConnections(), perClient, d.bareLineEndings(),
                d.maxHeaderSize(), d.maxReceivedHeaders());
    }

    @Test
    void connectionsPerClientAreLimitedAndPermitsComeBack() throws Exception {
        try (TernFixture tern = TernFixture.start(data, limits(2, Duration.ofMinutes(1), Duration.ofMinutes(5)));
             SmtpTestClient first = new SmtpTestClient(tern.port());
             SmtpTestClient second = new SmtpTestClient(tern.port())) {
            assertThat(first.reply()).startsWith("220 ");
            assertThat(second.reply()).startsWith("220 ");
            try (SmtpTestClient third = new SmtpTestClient(tern.port())) {
                assertThat(third.reply()).isEqualTo("421 4.7.0 mx.tern.test Too many connections from your address, try again later");
                assertThat(third.closedByServer()).isTrue();
            }
            assertThat(first.command("QUIT")).startsWith("221");
            Thread.sleep(200); // the server gives the permit back when the session ends
            try (SmtpTestClient fourth = new SmtpTestClient(tern.port())) {
                assertThat(fourth.reply()).startsWith("220 ");
            }
        }
    }

    @Test
    void idleClientTimesOut() throws Exception {
        try (TernFixture tern = TernFixture.start(data, limits(10, Duration.ofMillis(300), Duration.ofMinutes(5)));
             SmtpTestClient client = new SmtpTestClient(tern.port())) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.reply()).isEqualTo("421 4.4.2 Timeout, closing connection");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void busyClientHitsTheSessionLimit() throws Exception {
        try (TernFixture tern = TernFixture.start(data, limits(10, Duration.ofMinutes(1), Duration.ofMillis(500)));
             SmtpTestClient client = new SmtpTestClient(tern.port())) {
            assertThat(client.reply()).startsWith("220 ");
            String reply = "";
            for (int i = 0; i < 100 && !reply.startsWith("421"); i++) {
                reply = client.command("NOOP");
                Thread.sleep(20);
            }
            assertThat(reply).isEqualTo("421 4.4.2 Session time limit exceeded, closing connection");
        }
    }
}
