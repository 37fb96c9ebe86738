package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.GreylistSettings;
import dev.tern.config.ListenerSettings;
import dev.tern.config.RateLimitSettings;
import dev.tern.config.RateLimitSettings.Limit;
import dev.tern.mail.IpNetwork;
import dev.tern.policy.greylist.Greylist;
import dev.tern.policy.ratelimit.RateLimits;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limits and greylisting as a client sees them: the exact replies at connect, MAIL and RCPT. */
class ThrottleSessionTest {

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-12-01T10:00:00Z"));
    private static final String AUTH = "AUTH PLAIN AGFsaWNlQGxvY2FsaG9zdABzZWNyZXQ=\r\n";
    private static final String MESSAGE = "MAIL FROM:<a@sender.example>\r\nRCPT TO:<alice@localhost>\r\nDATA\r\n"
            + "Subject: hi\r\n\r\nhi\r\n.\r\n";

    @TempDir
    Path data;

    private static SessionHarness harness(Map<Limit, Integer> values) {
        SessionHarness harness = new SessionHarness();
        harness.rateLimits = new RateLimits(RateLimitSettings.defaults().with(values), List.of(), CLOCK);
        return harness;
    }

    @Test
    void aNetworkConnectingTooOftenGets421AtConnect() {
        SessionHarness harness = harness(Map.of(Limit.CLIENT_CONNECTIONS, 1));
        assertThat(harness.run("QUIT\r\n")).containsExactly("220 tern.test ESMTP Tern", "221 2.0.0 Bye");
        assertThat(harness.run("QUIT\r\n")).containsExactly(
                "421 4.7.0 tern.test Too many connections from your network (limit 1 connections per minute), "
                        + "try again later");
    }

    @Test
    void theSubmissionListenerHasNoConnectionRate() {
        SessionHarness harness = harness(Map.of(Limit.CLIENT_CONNECTIONS, 1));
        harness.role = ListenerSettings.Role.SUBMISSION;
        harness.run("QUIT\r\n");
        assertThat(harness.run("QUIT\r\n")).first().isEqualTo("220 tern.test ESMTP Tern");
    }

    @Test
    void messagesPerClientOnTheMx() {
        SessionHarness harness = harness(Map.of(Limit.CLIENT_MESSAGES, 1));
        List<String> replies = harness.run("EHLO client.example\r\n" + MESSAGE
                + "MAIL FROM:<b@sender.example>\r\nQUIT\r\n");
        assertThat(replies.get(replies.size() - 2))
                .isEqualTo("450 4.7.1 Too many messages from your network (limit 1 messages per hour), try again later");
        assertThat(harness.spool.committed).hasSize(1);
        assertThat(harness.rateLimits.refusals(Limit.CLIENT_MESSAGES)).isEqualTo(1);
    }

    @Test
    void recipientsPerClientOnTheMxCountOnlyRecipientsOtherwiseAccepted() {
        SessionHarness harness = harness(Map.of(Limit.CLIENT_RECIPIENTS, 2));
        List<String> replies = harness.run("HELO client.example\r\nMAIL FROM:<a@sender.example>\r\n"
                + "RCPT TO:<nobody@localhost>\r\nRCPT TO:<alice@localhost>\r\nRCPT TO:<bob@localhost>\r\n"
                + "RCPT TO:<alice@example.test>\r\nQUIT\r\n");
        assertThat(replies.subList(2, 7)).containsExactly(
                "250 2.1.0 Sender OK",
                "550 5.1.1 No such user here",
                "250 2.1.5 Recipient OK",
                "250 2.1.5 Recipient OK",
                "450 4.7.1 Too many recipients from your network (limit 2 recipients per hour), try again later");
    }

    @Test
    void messagesPerUserOnSubmission() {
        SessionHarness harness = harness(Map.of(Limit.USER_MESSAGES_HOUR, 5, Limit.USER_MESSAGES_DAY, 1));
        harness.role = ListenerSettings.Role.SUBMISSION;
        harness.tls = true;
        harness.authenticator = TestAuthenticator.create();
        List<String> replies = harness.run("EHLO laptop.example\r\n" + AUTH
                + "MAIL FROM:<alice@localhost>\r\nRCPT TO:<bob@example.org>\r\nRSET\r\n"
                + "MAIL FROM:<alice@localhost>\r\nQUIT\r\n");
        assertThat(replies.subList(replies.size() - 5, replies.size())).containsExactly(
                "250 2.1.0 Sender OK",
                "250 2.1.5 Recipient OK",
                "250 2.0.0 Reset state",
                "450 4.7.1 Too many messages from your account (limit 1 messages per day), try again later",
                "221 2.0.0 Bye");
    }

    @Test
    void recipientsPerUserOnSubmission() {
        SessionHarness harness = harness(Map.of(Limit.USER_RECIPIENTS_HOUR, 1));
        harness.role = ListenerSettings.Role.SUBMISSION;
        harness.tls = true;
        harness.authenticator = TestAuthenticator.create();
        List<String> replies = harness.run("EHLO laptop.example\r\n" + AUTH
                + "MAIL FROM:<alice@localhost>\r\nRCPT TO:<bob@example.org>\r\nRCPT TO:<carol@example.org>\r\nQUIT\r\n");
        assertThat(replies.get(replies.size() - 2))
                .isEqualTo("450 4.7.1 Too many recipients from your account (limit 1 recipients per hour), try again later");
    }

    @Test
    void greylistingDefersTheFirstRcptOnTheMxButNotFromATrustedNetwork() throws Exception {
        try (Greylist greylist = Greylist.open(GreylistSettings.defaults().on(), data, CLOCK, (c, s, h) -> false)) {
            SessionHarness harness = new SessionHarness();
            harness.greylist = greylist;
            List<String> replies = harness.run("HELO client.example\r\nMAIL FROM:<a@sender.example>\r\n"
                    + "RCPT TO:<alice@localhost>\r\nDATA\r\nQUIT\r\n");
            assertThat(replies.subList(2, 5)).containsExactly(
                    "250 2.1.0 Sender OK",
                    "450 4.2.0 Greylisted, please try again in 300 seconds",
                    "554 5.5.1 No valid recipients");

            harness.trusted = List.of(IpNetwork.parse("192.0.2.0/24"));
            assertThat(harness.run("HELO client.example\r\nMAIL FROM:<b@sender.example>\r\n"
                    + "RCPT TO:<alice@localhost>\r\nQUIT\r\n").get(3)).isEqualTo("250 2.1.5 Recipient OK");
            assertThat(greylist.greylisted()).isEqualTo(1);
            assertThat(greylist.skipped()).isEqualTo(1);
        }
    }

    @Test
    void noGreylistingOnSubmission() throws Exception {
        try (Greylist greylist = Greylist.open(GreylistSettings.defaults().on(), data, CLOCK, (c, s, h) -> false)) {
            SessionHarness harness = new SessionHarness();
            harness.greylist = greylist;
            harness.role = ListenerSettings.Role.SUBMISSION;
            harness.tls = true;
            harness.authenticator = TestAuthenticator.create();
            List<String> replies = harness.run("EHLO laptop.example\r\n" + AUTH
                    + "MAIL FROM:<alice@localhost>\r\nRCPT TO:<bob@example.org>\r\nQUIT\r\n");
            assertThat(replies.get(replies.size() - 2)).isEqualTo("250 2.1.5 Recipient OK");
            assertThat(greylist.greylisted()).isZero();
        }
    }

    @Test
    void deferralsDoNotCountAsClientErrors() throws Exception {
        try (Greylist greylist = Greylist.open(GreylistSettings.defaults().on(), data, CLOCK, (c, s, h) -> false)) {
            SessionHarness harness = new SessionHarness();
            harness.greylist = greylist;
            StringBuilder client = new StringBuilder("HELO client.example\r\nMAIL FROM:<a@sender.example>\r\n");
            for (int i = 0; i < 30; i++) {
                client.append(i % 2 == 0 ? "RCPT TO:<alice@localhost>\r\n" : "RCPT TO:<bob@localhost>\r\n");
            }
            List<String> replies = harness.run(client.append("QUIT\r\n").toString());
            assertThat(replies).hasSize(2 + 1 + 30 + 1);
            assertThat(replies.subList(3, 33)).allMatch(r -> r.startsWith("450 4.2.0 Greylisted"));
            assertThat(replies.get(33)).isEqualTo("221 2.0.0 Bye");
        }
    }
}
