package dev.tern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSpoolTest {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path data;

    @Test
    void committedMessageReadsBackByteForByte() throws IOException {
        FileSpool spool = new FileSpool(data);
        byte[] content = randomBytes(3 * 1024 * 1024 + 17, 1);
        Envelope envelope = Envelopes.of(T0, "alice@example.org", "bob@example.com", "carol@example.com");
        QueueId id;
        try (Spool.Draft draft = spool.create()) {
            id = draft.id();
            OutputStream out = draft.content();
            for (int i = 0; i < content.length; i += 1000) {
                out.write(content, i, Math.min(1000, content.length - i));
            }
            draft.commit(envelope);
        }
        StoredMessage stored = spool.load(id);
        assertThat(stored.envelope()).isEqualTo(envelope);
        assertThat(stored.content().size()).isEqualTo(content.length);
        try (InputStream in = stored.content().open()) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(spool.committed()).containsExactly(id);
        assertThat(names()).containsExactly(id + ".msg");
    }

    @Test
    void emptyContentRoundTrips() throws IOException {
        FileSpool spool = new FileSpool(data);
        QueueId id = commit(spool, new byte[0]);
        try (InputStream in = spool.load(id).content().open()) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void closingWithoutCommitLeavesNothing() throws IOException {
        FileSpool spool = new FileSpool(data);
        try (Spool.Draft draft = spool.create()) {
            draft.content().write("Subject: x\r\n\r\nhello\r\n".getBytes());
        }
        assertThat(names()).isEmpty();
        assertThat(spool.committed()).isEmpty();
    }

    @Test
    void commitHandsTheMessageOffOnlyOnceDurable() throws IOException {
        FileSpool spool = new FileSpool(data);
        List<QueueId> handedOff = new ArrayList<>();
        spool.handOffTo(id -> {
            assertThat(Files.exists(spool.messageFile(id))).isTrue();
            handedOff.add(id);
        });
        QueueId id = commit(spool, "hello\r\n".getBytes());
        assertThat(handedOff).containsExactly(id);
    }

    @Test
    void reopeningDeletesDraftsAndLeftoversButKeepsCommittedMessages() throws IOException {
        FileSpool before = new FileSpool(data);
        QueueId kept = commit(before, "kept\r\n".getBytes());
        Spool.Draft abandoned = before.create(); // a session killed mid-DATA: never committed, never closed
        abandoned.content().write(randomBytes(200_000, 2));
        abandoned.content().flush();
        Files.writeString(data.resolve("spool/.X.state.tmp1234"), "half");
        Files.writeString(data.resolve("spool/3FZ8K0A1B00042.state"), "tern-state 1\n");

        FileSpool after = new FileSpool(data);

        assertThat(after.committed()).containsExactly(kept);
        assertThat(names()).containsExactly(kept + ".msg");
    }

    @Test
    void corruptFooterIsReportedAsCorrupt() throws IOException {
        FileSpool spool = new FileSpool(data);
        QueueId id = commit(spool, "hello\r\n".getBytes());
        byte[] bytes = Files.readAllBytes(spool.messageFile(id));
        bytes[bytes.length - 3] ^= 1;
        Files.write(spool.messageFile(id), bytes);
        assertThatThrownBy(() -> spool.load(id)).isInstanceOf(CorruptSpoolException.class);
        spool.quarantine(id);
        assertThat(spool.committed()).isEmpty();
        assertThat(data.resolve("spool/corrupt/" + id + ".msg")).exists();
    }

    @Test
    void manyConcurrentCommitsAreAllDurableAndDistinct() throws Exception {
        FailingFileLayer files = new FailingFileLayer();
        FileSpool spool = new FileSpool(data, files);
        List<QueueId> handedOff = java.util.Collections.synchronizedList(new ArrayList<>());
        spool.handOffTo(handedOff::add);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] content = ("message " + i + "\r\n").repeat(100 + i).getBytes();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    commit(spool, content);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(handedOff).hasSize(50).doesNotHaveDuplicates();
        assertThat(spool.committed()).containsExactlyInAnyOrderElementsOf(handedOff);
        assertThat(files.directorySyncs.get()).isBetween(1, 50);
        for (QueueId id : handedOff) {
            try (InputStream in = spool.load(id).content().open()) {
                assertThat(new String(in.readAllBytes())).startsWith("message ");
            }
        }
    }

    @Test
    void commitsWaitingForARunningDirectorySyncShareTheNextOne() throws Exception {
        FailingFileLayer files = new FailingFileLayer();
        FileSpool spool = new FileSpool(data, files);
        CountDownLatch release = new CountDownLatch(1);
        files.holdFirstDirectorySync = release;
        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofVirtual().start(() -> commitQuietly(spool)));
        files.directorySyncEntered.await();
        for (int i = 0; i < 5; i++) {
            threads.add(Thread.ofVirtual().start(() -> commitQuietly(spool)));
        }
        while (spool.groupSync().waiting() < 6) {
            Thread.sleep(1);
        }
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(spool.committed()).hasSize(6);
        assertThat(files.directorySyncs.get()).isEqualTo(2); // the leader's, then one for the five
    }

    @Test
    void envelopeWithoutRecipientsIsRefused() throws IOException {
        FileSpool spool = new FileSpool(data);
        try (Spool.Draft draft = spool.create()) {
            assertThatThrownBy(() -> draft.commit(Envelopes.of(T0, "a@b.example")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(names()).isEmpty();
    }

    private void commitQuietly(FileSpool spool) {
        try {
            commit(spool, "hello\r\n".getBytes());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static QueueId commit(FileSpool spool, byte[] content) throws IOException {
        try (Spool.Draft draft = spool.create()) {
            draft.content().write(content);
            draft.commit(Envelopes.of(T0, "alice@example.org", "bob@example.com"));
            return draft.id();
        }
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("spool"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
