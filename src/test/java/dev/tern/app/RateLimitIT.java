package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tern.auth.PasswordHasher;
import dev.tern.auth.StoredPasswords;
import dev.tern.config.ListenerSettings;
import dev.tern.config.RateLimitSettings;
import dev.tern.config.RateLimitSettings.Limit;
import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rate limits of a real Tern as real clients meet them. */
class RateLimitIT {

    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path data;

    private Tern start(RateLimitSettings limits) throws Exception {
        TernConfig config = TernConfig.defaults("mx.tern.test", data).withListeners(List.of(
                new ListenerSettings("mx", ListenerSettings.Role.MX, "127.0.0.1", 0),
                new ListenerSettings("submission", ListenerSettings.Role.SUBMISSION, "127.0.0.1", 0)))
                .withRateLimits(limits);
        FileDirectory directory = new FileDirectory(data, config.domains());
        directory.addUser("alice@localhost", StoredPasswords.derive(new PasswordHasher(), PASSWORD.toCharArray()));
        directory.addUser("bob@localhost", "unused");
        return Tern.start(config);
    }

    private static void send(Tern tern, String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(tern.port("submission")));
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.auth.mechanisms", "PLAIN");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.trust", "*");
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("alice@localhost"));
        m.setRecipients(Message.RecipientType.TO, "bob@localhost");
        m.setSubject(subject);
        m.setText("Hello Bob.\n");
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("alice@localhost", PASSWORD);
            transport.sendMessage(m, m.getAllRecipients());
        }
    }

    @Test
    void anAuthenticatedUserOverItsHourlyLimitGets450FromAngus() throws Exception {
        try (Tern tern = start(RateLimitSettings.defaults().with(Map.of(Limit.USER_MESSAGES_HOUR, 2)))) {
            send(tern, "one");
            send(tern, "two");
            SMTPSendFailedException refused = catchThrowableOfType(SMTPSendFailedException.class,
                    () -> send(tern, "three"));
            assertThat(refused).as("the third message is refused").isNotNull();
            assertThat(refused.getReturnCode()).isEqualTo(450);
            assertThat(refused.getMessage().strip()).isEqualTo(
                    "450 4.7.1 Too many messages from your account (limit 2 messages per hour), try again later");
            assertThat(tern.rateLimits().refusals(Limit.USER_MESSAGES_HOUR)).isEqualTo(1);
        }
    }

    @Test
    void aClientConnectingTooOftenToTheMxGets421() throws Exception {
        RateLimitSettings limits = RateLimitSettings.defaults().with(Map.of(Limit.CLIENT_CONNECTIONS, 2))
                .withExemptions(true, false);
        try (Tern tern = start(limits)) {
            for (int i = 0; i < 2; i++) {
                try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
                    assertThat(client.reply()).startsWith("220 ");
                    assertThat(client.command("QUIT")).startsWith("221");
                }
            }
            try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
                assertThat(client.reply()).isEqualTo("421 4.7.0 mx.tern.test Too many connections from your network "
                        + "(limit 2 connections per minute), try again later");
                assertThat(client.closedByServer()).isTrue();
            }
            try (SmtpTestClient client = new SmtpTestClient(tern.port("submission"))) {
                assertThat(client.reply()).as("submission has no connection rate").startsWith("220 ");
            }
        }
    }
}
