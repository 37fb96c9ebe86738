package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.GreylistSettings;
import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Greylisting in a real Tern: a triplet deferred before a restart passes after it. */
class GreylistIT {

    @TempDir
    Path data;

    /** A delay of 0s: the first attempt is still deferred, and any retry passes, so no test waits. */
    private TernConfig config() {
        return TernFixture.config(data).withGreylist(new GreylistSettings(true, Duration.ZERO, Duration.ofDays(2),
                Duration.ofDays(35), 5, 1000, List.of(), 24, 64));
    }

    private static String rcpt(Tern tern, String from, String to) throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).startsWith("250 ");
            assertThat(client.command("MAIL FROM:<" + from + ">")).startsWith("250 ");
            String reply = client.command("RCPT TO:<" + to + ">");
            client.command("QUIT");
            return reply;
        }
    }

    @Test
    void aTripletDeferredBeforeARestartPassesAfterIt() throws Exception {
        new FileDirectory(data, config().domains()).addUser("alice@localhost", "unused");
        try (Tern tern = Tern.start(config())) {
            assertThat(rcpt(tern, "a@sender.example", "alice@localhost"))
                    .isEqualTo("450 4.2.0 Greylisted, please try again in 0 seconds");
            assertThat(rcpt(tern, "", "alice@localhost"))
                    .isEqualTo("450 4.2.0 Greylisted, please try again in 0 seconds");
        }
        assertThat(Files.readAllLines(data.resolve("greylist").resolve("greylist.log"))).hasSize(2);
        try (Tern tern = Tern.start(config())) {
            assertThat(rcpt(tern, "a@sender.example", "alice@localhost")).startsWith("250 2.1.5");
            assertThat(rcpt(tern, "", "alice@localhost")).startsWith("250 2.1.5");
            assertThat(rcpt(tern, "other@sender.example", "alice@localhost"))
                    .as("a triplet not seen before the restart is still deferred")
                    .isEqualTo("450 4.2.0 Greylisted, please try again in 0 seconds");
            assertThat(tern.greylist().passed()).isEqualTo(2);
        }
        try (Tern tern = Tern.start(config())) {
            assertThat(rcpt(tern, "a@sender.example", "alice@localhost")).as("passed triplets are kept")
                    .startsWith("250 2.1.5");
        }
    }
}
