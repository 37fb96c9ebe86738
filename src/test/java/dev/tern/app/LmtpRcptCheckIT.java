package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.LmtpSettings;
import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import dev.tern.testdovecot.Dovecot;
import dev.tern.testdovecot.Imap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Tern whose domain {@code example.test} is delivered over LMTP to a real Dovecot, with {@code [lmtp]
 * rcpt_check}: during the SMTP session an unknown user gets 550 5.1.1 and a full mailbox 452 4.2.2, a known
 * user is accepted and the message reaches Dovecot (read back over IMAP), and once Dovecot is gone the answer
 * is 451 4.3.0, never a 5xx.
 */
class LmtpRcptCheckIT {

    @TempDir
    Path dir;

    @Test
    void unknownUsersAndFullMailboxesAreRefusedDuringTheSessionAndTheRestIsDelivered() throws Exception {
        Dovecot dovecot = Dovecot.start(dir.resolve("dovecot"), List.of(new Dovecot.User("carol", null, 0),
                new Dovecot.User("full", "1K", 4096)));
        try {
            Path data = dir.resolve("tern");
            TernConfig config = TernFixture.config(data).withLmtp(LmtpSettings.defaults()
                    .withSocket(dovecot.lmtpSocket(), List.of(Dovecot.domain())).withRcptCheck(true));
            new FileDirectory(data, config.domains()).addDomain(Dovecot.domain());
            try (Tern tern = Tern.start(config)) {
                try (SmtpTestClient client = session(tern)) {
                    assertThat(client.command("RCPT TO:<" + Dovecot.address("stranger") + ">")).startsWith("550 5.1.1 ");
                    assertThat(client.command("RCPT TO:<" + Dovecot.address("full") + ">")).startsWith("452 4.2.2 ");
                    assertThat(client.command("RCPT TO:<" + Dovecot.address("carol") + ">")).startsWith("250 ");
                    assertThat(client.command("DATA")).startsWith("354 ");
                    client.send("From: <sender@example.net>\r\nSubject: checked at RCPT\r\n\r\nhello carol\r\n.\r\n");
                    assertThat(client.reply()).startsWith("250 ");
                }
                assertThat(awaitInInbox(dovecot, "carol", "checked at RCPT", Duration.ofSeconds(30)))
                        .as("delivered to carol over LMTP").contains("hello carol");

                dovecot.close();
                try (SmtpTestClient client = session(tern)) {
                    assertThat(client.command("RCPT TO:<" + Dovecot.address("carol") + ">")).startsWith("451 4.3.0 ");
                }
            }
        } finally {
            dovecot.close();
        }
    }

    private static SmtpTestClient session(Tern tern) throws Exception {
        SmtpTestClient client = new SmtpTestClient(tern.port("mx"));
        assertThat(client.reply()).startsWith("220 ");
        assertThat(client.command("EHLO client.example.net")).startsWith("250 ");
        assertThat(client.command("MAIL FROM:<sender@example.net>")).startsWith("250 ");
        return client;
    }

    /** The first message of {@code user}'s inbox whose text holds {@code subject}, waiting for the queue. */
    private static String awaitInInbox(Dovecot dovecot, String user, String subject, Duration timeout)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try (Imap imap = Imap.login(dovecot.imapPort(), Dovecot.address(user), "secret")) {
                int count = imap.select("INBOX");
                for (int i = 1; i <= count; i++) {
                    String text = new String(imap.fetch(i), StandardCharsets.UTF_8);
                    if (text.contains("Subject: " + subject)) {
                        return text;
                    }
                }
            }
            Thread.sleep(100);
        }
        return "";
    }
}
