package dev.tern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.config.QueueSettings;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Parcel;
import dev.tern.mail.QueueId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a draft back, and the header fields, omitted ranges and folder kept with a committed message. */
class DraftExtrasTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final String RECEIVED = "Received: from c.example by mx.example.com; Sat, 1 Mar 2025\r\n";
    private static final String FORGED = "Authentication-Results: mx.example.com; dkim=pass\r\n";
    private static final String REST = "From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n";

    @TempDir
    Path data;

    @Test
    void openContentSeesEverythingWrittenSoFarIncludingTheBuffer() throws IOException {
        FileSpool spool = new FileSpool(data);
        try (Spool.Draft draft = spool.create()) {
            draft.content().write(bytes(RECEIVED + REST));
            try (InputStream in = draft.openContent()) {
                assertThat(text(in.readAllBytes())).isEqualTo(RECEIVED + REST);
            }
            draft.content().write(bytes("more\r\n"));
            try (InputStream in = draft.openContent()) {
                assertThat(text(in.readAllBytes())).isEqualTo(RECEIVED + REST + "more\r\n");
            }
        }
    }

    @Test
    void readersSeeThePrefixThenTheContentWithoutTheOmittedRanges() throws IOException {
        FileSpool spool = new FileSpool(data);
        QueueId id;
        try (Spool.Draft draft = spool.create()) {
            id = draft.id();
            draft.content().write(bytes(RECEIVED + FORGED + REST + FORGED));
            draft.omit(RECEIVED.length(), FORGED.length());
            draft.prepend(bytes("Authentication-Results: mx.example.com; spf=pass\r\n"));
            draft.prepend(bytes("X-Top: 1\r\n"));
            draft.deliverToJunk();
            draft.commit(Envelopes.of(T0, "a@example.org", "bob@example.com"));
        }
        String expected = "X-Top: 1\r\nAuthentication-Results: mx.example.com; spf=pass\r\n" + RECEIVED + REST + FORGED;

        StoredMessage stored = new FileSpool(data).load(id); // as after a restart
        try (InputStream in = stored.content().open()) {
            assertThat(text(in.readAllBytes())).isEqualTo(expected);
        }
        assertThat(stored.content().size()).isEqualTo(expected.length());
        assertThat(stored.folder()).isEqualTo("Junk");
        assertThat(spool.describe(id).size()).isEqualTo(expected.length());
    }

    @Test
    void severalRangesAndARangeAtTheStartAreLeftOut() throws IOException {
        FileSpool spool = new FileSpool(data);
        QueueId id;
        try (Spool.Draft draft = spool.create()) {
            id = draft.id();
            draft.content().write(bytes("0123456789abcdef"));
            draft.omit(10, 2);
            draft.omit(0, 3);
            draft.omit(15, 1);
            draft.commit(Envelopes.of(T0, "a@example.org", "bob@example.com"));
        }
        StoredMessage stored = spool.load(id);
        try (InputStream in = stored.content().open()) {
            assertThat(text(in.readAllBytes())).isEqualTo("3456789cde");
        }
        assertThat(stored.content().size()).isEqualTo(10);
        assertThat(stored.folder()).isNull();
    }

    @Test
    void theDeliveryAttemptCarriesTheFolderAndTheWholeMessage() throws IOException {
        FileSpool spool = new FileSpool(data);
        QueueId id;
        try (Spool.Draft draft = spool.create()) {
            id = draft.id();
            draft.content().write(bytes(REST));
            draft.prepend(bytes("X-Added: yes\r\n"));
            draft.deliverToJunk();
            draft.commit(Envelopes.of(T0, "a@example.org", "bob@example.com"));
        }
        List<Parcel> parcels = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        DeliveryAttempt attempt = new DeliveryAttempt(spool, parcel -> {
            parcels.add(parcel);
            try (InputStream in = parcel.content().open()) {
                contents.add(text(in.readAllBytes()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return parcel.recipients().stream().map(r -> Outcome.delivered(r, "box")).toList();
        }, QueueSettings.defaults(), new LoggingBounceSink());

        attempt.run(id, null, T0);

        assertThat(parcels).singleElement().extracting(Parcel::folder).isEqualTo("Junk");
        assertThat(contents).containsExactly("X-Added: yes\r\n" + REST);
    }

    @Test
    void aMessageWithoutExtrasKeepsTheVersion1Format() throws IOException {
        FileSpool spool = new FileSpool(data);
        QueueId id;
        try (Spool.Draft draft = spool.create()) {
            id = draft.id();
            draft.content().write(bytes(REST));
            draft.commit(Envelopes.of(T0, "a@example.org", "bob@example.com"));
        }
        String file = text(Files.readAllBytes(spool.messageFile(id)));
        assertThat(file).startsWith(REST + "tern-envelope 1\n").contains("\nTERN-SPOOL 1 ").doesNotContain("tern-extras");
    }

    @Test
    void anUnknownExtrasFieldMakesTheMessageCorrupt() throws IOException {
        FileSpool spool = new FileSpool(data);
        QueueId id = new QueueId("ABCDEF123456");
        byte[] envelope = EnvelopeCodec.encode(Envelopes.of(T0, "a@example.org", "bob@example.com"));
        byte[] meta = concat(bytes("tern-extras 1\nprefix 0\ncolour blue\n\n"), envelope);
        CRC32 crc = new CRC32();
        crc.update(meta);
        String footer = String.format("\nTERN-SPOOL 2 %016x %08x\n", meta.length, crc.getValue());
        Files.write(spool.messageFile(id), concat(concat(bytes(REST), meta), bytes(footer)));

        assertThatThrownBy(() -> spool.load(id)).isInstanceOf(CorruptSpoolException.class)
                .hasMessageContaining("extras");
    }

    @Test
    void badRangesAndFieldsAreRefused() throws IOException {
        FileSpool spool = new FileSpool(data);
        try (Spool.Draft draft = spool.create()) {
            draft.content().write(bytes("0123456789"));
            draft.omit(2, 4);
            assertThatThrownBy(() -> draft.omit(5, 2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> draft.omit(8, 3)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> draft.omit(-1, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> draft.prepend(bytes("X: no line end"))).isInstanceOf(IllegalArgumentException.class);
            draft.commit(Envelopes.of(T0, "a@example.org", "bob@example.com"));
            assertThatThrownBy(() -> draft.prepend(bytes("X: late\r\n"))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(draft::openContent).isInstanceOf(IllegalStateException.class);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
