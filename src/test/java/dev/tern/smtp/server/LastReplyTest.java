package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.policy.RecipientPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server gives a connection's permit back in {@link Session#beforeLastReply}: it must run once, before the
 * closing reply is written, or a client that reconnects on reading 221 could find its old connection still
 * counted against {@code max_connections_per_client}.
 */
class LastReplyTest {

    private final SessionHarness harness = new SessionHarness();

    @Test
    void runsOnceBeforeThe221() throws Exception {
        List<String> writtenBefore = run("EHLO client.example\r\nNOOP\r\nQUIT\r\n");

        assertThat(writtenBefore).hasSize(1);
        assertThat(writtenBefore.get(0)).doesNotContain("221");
    }

    @Test
    void runsOnceBeforeA421ThatEndsTheSession() throws Exception {
        harness.limits = dev.tern.config.TestLimits.with(harness.limits, "max_errors", 2);

        List<String> writtenBefore = run("EHLO client.example\r\nBOGUS\r\nBOGUS\r\nNOOP\r\n");

        assertThat(writtenBefore).hasSize(1);
        assertThat(writtenBefore.get(0)).doesNotContain("421");
    }

    @Test
    void runsNotAtAllWhenTheClientJustLeaves() throws Exception {
        assertThat(run("EHLO client.example\r\nNOOP\r\n")).isEmpty();
    }

    /** The server's output as it stood each time the action ran, once the session has ended. */
    private List<String> run(String client) throws Exception {
        MemoryTransport transport = new MemoryTransport(client.getBytes(StandardCharsets.US_ASCII));
        Session session = new Session(harness.settings(), transport, harness.target,
                new RecipientPolicy(new FakeDirectory()));
        List<String> writtenBefore = new ArrayList<>();
        session.beforeLastReply(() -> writtenBefore.add(transport.serverText()));
        session.run();
        assertThat(transport.serverText()).containsAnyOf("221 2.0.0", "421 4.7.0", "250 2.0.0");
        return writtenBefore;
    }
}
