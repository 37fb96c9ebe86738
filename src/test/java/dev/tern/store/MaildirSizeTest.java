package dev.tern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maildir++ quotas with real files: the {@code maildirsize} Tern writes and appends to, one as Dovecot writes
 * it (limits, then a line per change, deletions negative), and the recalculations Maildir++ asks for.
 */
class MaildirSizeTest {

    private static final Instant NOW = Instant.parse("2025-01-10T10:00:00Z");

    @TempDir
    Path data;

    private MaildirStore store(Map<String, Long> quotas) {
        return new MaildirStore(data, "mx.example.net", Clock.fixed(NOW, ZoneOffset.UTC),
                user -> quotas.getOrDefault(user, 0L));
    }

    private Path box(String user) {
        int at = user.indexOf('@');
        return data.resolve("mail").resolve(user.substring(at + 1)).resolve(user.substring(0, at));
    }

    private static ByteArrayInputStream message(int size) {
        return new ByteArrayInputStream("x".repeat(size).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void deliveriesAreCountedInMaildirsizeAsDovecotReadsIt() throws Exception {
        MaildirStore store = store(Map.of("alice@example.com", 10_000L));

        store.deliver("alice@example.com", new byte[0], message(1000));
        store.deliver("alice@example.com", "Junk", new byte[0], message(500));

        // the first delivery found no file and counted the empty mailbox; each message then added its line
        assertThat(Files.readString(box("alice@example.com").resolve("maildirsize")))
                .isEqualTo("10000S\n0 0\n1000 1\n500 1\n");
        assertThat(store.isFull("alice@example.com")).isFalse();
    }

    @Test
    void aMessageThatWouldPassTheQuotaIsRefusedAndLeavesNothingBehind() throws Exception {
        MaildirStore store = store(Map.of("alice@example.com", 2500L));
        store.deliver("alice@example.com", new byte[0], message(2000));

        assertThatThrownBy(() -> store.deliver("alice@example.com", new byte[0], message(600)))
                .isInstanceOf(QuotaExceededException.class).hasMessageContaining("2000 of 2500 octets used");

        try (var tmp = Files.list(box("alice@example.com").resolve("tmp"));
             var fresh = Files.list(box("alice@example.com").resolve("new"))) {
            assertThat(tmp).isEmpty();
            assertThat(fresh).hasSize(1);
        }
        store.deliver("alice@example.com", new byte[0], message(500)); // exactly up to the quota still fits
        assertThat(store.isFull("alice@example.com")).isTrue();
        assertThat(store.isFull("bob@example.com")).isFalse(); // no quota, no mailbox
    }

    @Test
    void aMaildirsizeWrittenByDovecotIsReadAndAppendedTo() throws Exception {
        MaildirStore store = store(Map.of("alice@example.com", 1_048_576L));
        store.deliver("alice@example.com", new byte[0], message(10)); // creates the mailbox
        Path file = box("alice@example.com").resolve("maildirsize");
        // Dovecot's form: its limits (here a message limit too), the recalculated total, then its changes
        Files.writeString(file, "1048576S,100C\n1040000 97\n4000 2\n-2000 -1\n");
        Files.setLastModifiedTime(file, FileTime.from(NOW));

        assertThat(store.isFull("alice@example.com")).isFalse();
        store.deliver("alice@example.com", new byte[0], message(1000));
        assertThat(Files.readString(file)).isEqualTo("1048576S,100C\n1040000 97\n4000 2\n-2000 -1\n1000 1\n");

        // 99 messages now: the 100C Dovecot set is reached with one more
        store.deliver("alice@example.com", new byte[0], message(10));
        assertThat(store.isFull("alice@example.com")).isTrue();
        assertThatThrownBy(() -> store.deliver("alice@example.com", new byte[0], message(10)))
                .isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void aChangedQuotaOrAFileGrownPast5120OctetsIsRecalculatedFromTheMailbox() throws Exception {
        store(Map.of("alice@example.com", 100_000L)).deliver("alice@example.com", new byte[0], message(300));
        store(Map.of("alice@example.com", 100_000L)).deliver("alice@example.com", "Archive", new byte[0], message(200));
        Path file = box("alice@example.com").resolve("maildirsize");
        // a message Dovecot moved to cur/ without ,S= in its name is counted by its size on disk
        Files.writeString(box("alice@example.com").resolve("cur").resolve("1700000000.M1P1.host:2,S"), "y".repeat(50));

        store(Map.of("alice@example.com", 50_000L)).isFull("alice@example.com");
        assertThat(Files.readString(file)).isEqualTo("50000S\n550 3\n");

        Files.writeString(file, "50000S\n" + "1 1\n".repeat(1300)); // 5207 octets of lines
        assertThat(store(Map.of("alice@example.com", 50_000L)).isFull("alice@example.com")).isFalse();
        assertThat(Files.readString(file)).isEqualTo("50000S\n550 3\n");
    }

    @Test
    void aFullAnswerFromAnOldFileIsCheckedByCountingAgain() throws Exception {
        MaildirStore store = store(Map.of("alice@example.com", 1000L));
        store.deliver("alice@example.com", new byte[0], message(100));
        Path file = box("alice@example.com").resolve("maildirsize");
        // a client deleted mail without writing its line; the file still says full
        Files.writeString(file, "1000S\n5000 40\n");
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofMinutes(5))));
        assertThat(store.isFull("alice@example.com")).isTrue();

        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(MaildirSize.STALE_WHEN_FULL).minusSeconds(1)));
        assertThat(store.isFull("alice@example.com")).isFalse();
        assertThat(Files.readString(file)).isEqualTo("1000S\n100 1\n");
    }

    @Test
    void aTornLineMakesTheFileBeCountedAgain() throws Exception {
        MaildirStore store = store(Map.of("alice@example.com", 1000L));
        store.deliver("alice@example.com", new byte[0], message(100));
        Path file = box("alice@example.com").resolve("maildirsize");
        Files.writeString(file, "1000S\n900 9\n12");

        assertThat(store.isFull("alice@example.com")).isFalse();
        assertThat(Files.readString(file)).isEqualTo("1000S\n100 1\n");
    }

    @Test
    void withoutAQuotaNoFileIsWritten() throws Exception {
        MaildirStore store = store(Map.of());
        store.deliver("alice@example.com", new byte[0], message(100));
        assertThat(box("alice@example.com").resolve("maildirsize")).doesNotExist();
        assertThat(store.isFull("alice@example.com")).isFalse();
    }
}
