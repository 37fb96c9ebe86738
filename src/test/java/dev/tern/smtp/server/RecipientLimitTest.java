package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.TestLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 5321 §4.5.3.1.10: past the recipient limit the server answers 452 and the client sends the rest in
 * another transaction. Those 452s must not close the session for "too many errors", or the recipients
 * already accepted are lost.
 */
class RecipientLimitTest {

    @Test
    void recipientsPastTheLimitAreDeferredWithoutEndingTheSession() {
        SessionHarness harness = new SessionHarness(); // max_recipients 100, max_errors 20
        StringBuilder client = new StringBuilder("EHLO c.example\r\nMAIL FROM:<a@remote.example>\r\n");
        for (int i = 0; i < 150; i++) {
            client.append("RCPT TO:<alice+").append(i).append("@localhost>\r\n");
        }
        client.append("DATA\r\nSubject: many\r\n\r\nbody\r\n.\r\nNOOP\r\nRSET\r\n")
                .append("MAIL FROM:<a@remote.example>\r\nRCPT TO:<alice+100@localhost>\r\n")
                .append("DATA\r\nSubject: the rest\r\n\r\nbody\r\n.\r\nQUIT\r\n");

        List<String> replies = harness.run(client.toString());

        assertThat(replies.stream().filter(l -> l.startsWith("250 2.1.5"))).hasSize(101);
        assertThat(replies.stream().filter(l -> l.equals("452 4.5.3 Too many recipients"))).hasSize(50);
        assertThat(replies).noneMatch(l -> l.startsWith("421"));
        assertThat(replies.get(replies.size() - 1)).startsWith("221");
        assertThat(harness.spool.committed).hasSize(2);
        assertThat(harness.spool.committed.get(0).envelope().recipients()).hasSize(100);
        assertThat(harness.spool.committed.get(1).envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("alice+100@localhost");
    }

    @Test
    void pastTheOvershootLimitEachRefusalCountsAsAnError() {
        SessionHarness harness = new SessionHarness();
        harness.limits = TestLimits.with(TestLimits.with(harness.limits, "max_recipients", 2), "recipient_overshoot", 3);
        StringBuilder client = new StringBuilder("EHLO c.example\r\nMAIL FROM:<a@remote.example>\r\n");
        for (int i = 0; i < 40; i++) {
            client.append("RCPT TO:<alice+").append(i).append("@localhost>\r\n");
        }

        List<String> replies = harness.run(client.toString());

        // 2 accepted, 3 overshoot for free, then 20 counted errors: the 20th is answered with 421.
        assertThat(replies.stream().filter(l -> l.startsWith("452 4.5.3"))).hasSize(3 + 19);
        assertThat(replies.get(replies.size() - 1)).startsWith("421 4.7.0 Too many errors");
    }
}
