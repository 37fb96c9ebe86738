package dev.tern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.mail.QueueId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A milter's changes rewrite the draft: the new content is what is committed, with the folder and hold kept. */
class DraftRewriteTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final String RECEIVED = "Received: from c.example by mx.example.com\r\n";
    private static final String FORGED = "Authentication-Results: mx.example.com; dkim=pass\r\n";
    private static final String REST = "Subject: hi\r\n\r\nbody\r\n";

    @TempDir
    Path data;

    @Test
    void theRewriterReadsTheMessageAsItWouldBeCommittedAndItsOutputIsCommitted() throws IOException {
        FileSpool spool = new FileSpool(data);
        QueueId id;
        try (Spool.Draft draft = spool.create()) {
            id = draft.id();
            draft.content().write(bytes(RECEIVED + FORGED + REST));
            draft.omit(RECEIVED.length(), FORGED.length());
            draft.prepend(bytes("Authentication-Results: mx.example.com; spf=pass\r\n"));
            draft.deliverToJunk();
            try (InputStream in = draft.openMessage()) {
                assertThat(text(in.readAllBytes()))
                        .isEqualTo("Authentication-Results: mx.example.com; spf=pass\r\n" + RECEIVED + REST);
            }
            draft.rewrite((current, out) -> {
                out.write(bytes("X-Spam: yes\r\n"));
                current.transferTo(out);
            });
            draft.prepend(bytes("DKIM-Signature: v=1\r\n"));
            draft.commit(Envelopes.of(T0, "a@example.org", "bob@example.com"));
        }
        StoredMessage stored = new FileSpool(data).load(id);
        try (InputStream in = stored.content().open()) {
            assertThat(text(in.readAllBytes())).isEqualTo("DKIM-Signature: v=1\r\nX-Spam: yes\r\n"
                    + "Authentication-Results: mx.example.com; spf=pass\r\n" + RECEIVED + REST);
        }
        assertThat(stored.folder()).isEqualTo("Junk");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aRewriterThatFailsLeavesTheDraftAsItWasAndNoTemporaryFile() throws IOException {
        FileSpool spool = new FileSpool(data);
        try (Spool.Draft draft = spool.create()) {
            draft.content().write(bytes(REST));
            assertThatThrownBy(() -> draft.rewrite((current, out) -> {
                out.write(bytes("half"));
                throw new IOException("milter gone");
            })).hasMessage("milter gone");
            try (InputStream in = draft.openMessage()) {
                assertThat(text(in.readAllBytes())).isEqualTo(REST);
            }
            assertThat(leftovers()).isEmpty();
        }
    }

    private Stream<Path> leftovers() throws IOException {
        return Files.list(data.resolve("spool")).filter(p -> p.getFileName().toString().startsWith("."));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
