package dev.tern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.io.RealFileLayer;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal: what it saves a message, and that a restart after a crash finds every acknowledged one. */
class SpoolJournalTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final long SEGMENT = 64 * 1024;

    @TempDir
    Path data;

    private FileSpool journaled() throws IOException {
        return FileSpool.journaled(data, RealFileLayer.INSTANCE, DraftMemory.defaults(), SEGMENT);
    }

    @Test
    void aSmallMessageIsAppendedToASegmentNotAFileOfItsOwn() throws IOException {
        FileSpool spool = journaled();
        byte[] content = FileSpoolTest.randomBytes(2000, 1);
        QueueId id = FileSpoolTest.commit(spool, content);

        assertThat(spoolFiles()).isEmpty();
        assertThat(segments()).hasSize(1);
        assertThat(spool.committed()).containsExactly(id);
        assertThat(read(spool, id)).isEqualTo(content);
        assertThat(spool.load(id).envelope()).isEqualTo(envelope());
        assertThat(spool.loadState(id)).isEmpty();
        assertThat(spool.isHeld(id)).isFalse();
    }

    @Test
    void aMessageLargerThanTheJournalTakesGetsItsOwnFile() throws IOException {
        FileSpool spool = FileSpool.journaled(data, RealFileLayer.INSTANCE, new DraftMemory(32 * 1024, 1 << 20), SEGMENT);
        byte[] content = FileSpoolTest.randomBytes(100_000, 2);
        QueueId id = FileSpoolTest.commit(spool, content);

        assertThat(spoolFiles()).containsExactly(id + ".msg");
        assertThat(read(spool, id)).isEqualTo(content);
    }

    @Test
    void draftsBeyondTheMemoryBudgetGoToFilesAndGiveTheBudgetBack() throws IOException {
        DraftMemory memory = new DraftMemory(256 * 1024, 2 * DraftMemory.CHUNK);
        FileSpool spool = FileSpool.journaled(data, RealFileLayer.INSTANCE, memory, SEGMENT);
        try (Spool.Draft first = spool.create(); Spool.Draft second = spool.create()) {
            first.content().write(new byte[2 * DraftMemory.CHUNK]); // the whole budget
            second.content().write(new byte[10]);
            assertThat(spoolFiles()).containsExactly(second.id() + ".draft");
        }
        assertThat(memory.chunksFree().get()).isEqualTo(2);
        QueueId id = FileSpoolTest.commit(spool, new byte[100]);
        assertThat(spoolFiles()).doesNotContain(id + ".msg");
    }

    @Test
    void finishedMessagesLetTheirSegmentsGo() throws Exception {
        FileSpool spool = journaled();
        List<QueueId> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(FileSpoolTest.commit(spool, FileSpoolTest.randomBytes(10_000, i)));
        }
        assertThat(segments().size()).isGreaterThan(3);
        for (QueueId id : ids) {
            spool.removeFinished(id, false);
        }
        awaitSegments(1); // the one being appended to: the others are deleted in the background, oldest first
        assertThat(spool.committed()).isEmpty();
        assertThat(spool.exists(ids.get(0))).isFalse();
    }

    @Test
    void aRestartMovesWhatIsLiveToFilesAndForgetsWhatWasFinished() throws IOException {
        FileSpool crashed = journaled();
        Map<QueueId, byte[]> live = new ConcurrentHashMap<>();
        for (int i = 0; i < 12; i++) {
            byte[] content = FileSpoolTest.randomBytes(9_000 + i, 100 + i);
            QueueId id = FileSpoolTest.commit(crashed, content);
            if (i % 3 == 0) {
                crashed.removeFinished(id, false);
            } else {
                live.put(id, content);
            }
        }
        // no close: the process died here

        FileSpool restarted = journaled();
        assertThat(segments()).isEmpty();
        assertThat(restarted.committed()).containsExactlyInAnyOrderElementsOf(live.keySet());
        for (Map.Entry<QueueId, byte[]> e : live.entrySet()) {
            assertThat(spoolFiles()).contains(e.getKey() + ".msg");
            assertThat(read(restarted, e.getKey())).isEqualTo(e.getValue());
            assertThat(restarted.load(e.getKey()).envelope()).isEqualTo(envelope());
        }
    }

    @Test
    void aTornLastRecordIsIgnoredAndWhatCameBeforeIsKept() throws IOException {
        FileSpool crashed = journaled();
        QueueId first = FileSpoolTest.commit(crashed, FileSpoolTest.randomBytes(3000, 1));
        QueueId second = FileSpoolTest.commit(crashed, FileSpoolTest.randomBytes(3000, 2));
        Path segment = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(f.length() - 10); // the second record was being written when the power went
        }

        FileSpool restarted = journaled();
        assertThat(restarted.committed()).containsExactly(first);
        assertThat(restarted.exists(second)).isFalse();
    }

    @Test
    void aDamagedRecordEndsTheSegmentAsATornOneWould() throws IOException {
        FileSpool crashed = journaled();
        QueueId first = FileSpoolTest.commit(crashed, FileSpoolTest.randomBytes(3000, 1));
        long end = Files.size(segments().get(0));
        FileSpoolTest.commit(crashed, FileSpoolTest.randomBytes(3000, 2));
        try (RandomAccessFile f = new RandomAccessFile(segments().get(0).toFile(), "rw")) {
            f.seek(end + 100);
            f.write(0x55 ^ f.readByte()); // a flipped octet inside the second record's payload
        }

        assertThat(journaled().committed()).containsExactly(first);
    }

    @Test
    void aDrainedSegmentIsAppendedToAgainAndWhatItHeldBeforeStaysDead() throws Exception {
        FileSpool crashed = journaled();
        List<QueueId> first = new ArrayList<>();
        for (int i = 0; i < 30; i++) { // commits only: their done records all go to the last segments
            first.add(FileSpoolTest.commit(crashed, FileSpoolTest.randomBytes(10_000, i)));
        }
        for (QueueId id : first) {
            crashed.removeFinished(id, false);
        }
        awaitFiles(".spare", SpoolJournal.SPARES_KEPT);
        List<String> sparesBefore = names(".spare");

        List<QueueId> second = new ArrayList<>();
        // Records as long as the old ones, so each new one ends where an old one does and the reader meets an old
        // record whole right after the new ones: only its checksum can tell it is from the spare's earlier life.
        while (names(".spare").equals(sparesBefore)) { // until a new segment is needed and a spare becomes it
            second.add(FileSpoolTest.commit(crashed, FileSpoolTest.randomBytes(10_000, 100 + second.size())));
        }
        Path reused = segments().get(segments().size() - 1);
        // the spare kept its old records: the new ones cover only the start of it
        assertThat(Files.size(reused)).isGreaterThan(SEGMENT / 2);
        // no close: the process died here

        FileSpool restarted = journaled();
        assertThat(restarted.committed()).containsExactlyInAnyOrderElementsOf(second);
        for (QueueId id : second) {
            assertThat(read(restarted, id)).hasSize(10_000);
        }
        assertThat(names(".spare")).hasSizeLessThanOrEqualTo(SpoolJournal.SPARES_KEPT); // kept for the next run
    }

    @Test
    void anEarlierRunsSparesBecomeSegmentsAgainUnderHigherNumbers() throws Exception {
        FileSpool first = journaled();
        List<QueueId> old = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            old.add(FileSpoolTest.commit(first, FileSpoolTest.randomBytes(10_000, i)));
        }
        for (QueueId id : old) {
            first.removeFinished(id, false);
        }
        awaitFiles(".spare", SpoolJournal.SPARES_KEPT);
        List<String> spares = names(".spare");
        long highestSpare = number(spares.get(spares.size() - 1));
        // no close: the process died here, its spares full of records of their earlier lives

        FileSpool second = journaled();
        assertThat(names(".spare")).isEqualTo(spares);
        List<QueueId> fresh = new ArrayList<>();
        fresh.add(FileSpoolTest.commit(second, FileSpoolTest.randomBytes(10_000, 500)));

        // The first segment of this run is an earlier run's spare, renamed above the number of every file left:
        // a spare holds records of its own number or older ones, never of a number given after it.
        assertThat(names(".spare")).hasSize(spares.size() - 1);
        assertThat(names(".log")).singleElement()
                .satisfies(name -> assertThat(number(name)).isGreaterThan(highestSpare));
        assertThat(Files.size(segments().get(0))).isGreaterThan(SEGMENT / 2); // the old records are still there
        // no close again

        FileSpool third = journaled();
        assertThat(third.committed()).containsExactlyElementsOf(fresh);
        assertThat(read(third, fresh.get(0))).isEqualTo(FileSpoolTest.randomBytes(10_000, 500));
    }

    private static long number(String name) {
        return Long.parseLong(name.substring(0, name.indexOf('.')));
    }

    @Test
    void aSegmentOfTheFirstFormatIsStillRead() throws IOException {
        Path dir = Files.createDirectories(data.resolve("spool").resolve("journal"));
        QueueId id = QueueId.next();
        byte[] name = id.value().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] payload = FileSpoolTest.randomBytes(500, 7);
        java.nio.ByteBuffer record = java.nio.ByteBuffer.allocate(14 + name.length + payload.length + 4);
        record.put(new byte[] {'T', 'J', 'R', '1', 'C', (byte) name.length}).putLong(payload.length).put(name).put(payload);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(record.array(), 0, record.position()); // TJR1: the checksum does not cover the sequence
        record.putInt((int) crc.getValue());
        Files.write(dir.resolve("0000000000000003.log"), record.array());

        Map<QueueId, SpoolJournal.Location> live = SpoolJournal.live(dir);

        assertThat(live).containsOnlyKeys(id);
        assertThat(live.get(id).payloadLength()).isEqualTo(500);
    }

    @Test
    void savingAStateMovesTheMessageToItsFileOnce() throws IOException {
        FileSpool spool = journaled();
        byte[] content = FileSpoolTest.randomBytes(5000, 3);
        QueueId id = FileSpoolTest.commit(spool, content);
        DeliveryState deferred = DeliveryState.initial(1).with(0, new RecipientState(RecipientState.Status.DEFERRED, 1,
                T0.plusSeconds(300), "451", "4.4.1 try later"));

        spool.saveState(id, deferred);

        assertThat(spoolFiles()).containsExactlyInAnyOrder(id + ".msg", id + ".state");
        assertThat(spool.loadState(id)).contains(deferred);
        assertThat(read(spool, id)).isEqualTo(content);
        FileSpool restarted = journaled(); // the journal's copy is done: no second message
        assertThat(restarted.committed()).containsExactly(id);
        assertThat(restarted.loadState(id)).contains(deferred);
    }

    @Test
    void holdingAMessageMovesItToItsFileFirst() throws IOException {
        FileSpool spool = journaled();
        QueueId id = FileSpoolTest.commit(spool, FileSpoolTest.randomBytes(5000, 4));
        spool.hold(id, new Hold("operator", T0));
        assertThat(spoolFiles()).containsExactlyInAnyOrder(id + ".msg", id + ".hold");
        assertThat(spool.isHeld(id)).isTrue();
    }

    @Test
    void aSpoolOpenedBesideTheServerListsAndReadsItsJournal() throws IOException {
        FileSpool server = journaled();
        byte[] content = FileSpoolTest.randomBytes(4000, 5);
        QueueId id = FileSpoolTest.commit(server, content);
        QueueId finished = FileSpoolTest.commit(server, content);
        server.removeFinished(finished, false);

        FileSpool beside = FileSpool.shared(data);
        assertThat(beside.committed()).containsExactly(id);
        assertThat(read(beside, id)).isEqualTo(content);
        assertThat(beside.describe(id).recipients()).hasSize(1);
        assertThat(segments()).isNotEmpty(); // only read
    }

    @Test
    void manySessionsCommittingAtOnceAreAllDurableAndReadable() throws Exception {
        FileSpool spool = journaled();
        Map<QueueId, byte[]> committed = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        byte[] content = FileSpoolTest.randomBytes(500 + 97 * i, thread * 1000L + i);
                        committed.put(FileSpoolTest.commit(spool, content), content);
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        FileSpool restarted = journaled();
        assertThat(restarted.committed()).hasSize(320);
        for (Map.Entry<QueueId, byte[]> e : committed.entrySet()) {
            assertThat(read(restarted, e.getKey())).isEqualTo(e.getValue());
        }
    }

    @Test
    void aFailedSegmentOpeningFailsTheCommitAndTheNextOneWorks() throws IOException {
        FailingFileLayer files = new FailingFileLayer();
        FileSpool spool = FileSpool.journaled(data, files, DraftMemory.defaults(), SEGMENT);
        List<QueueId> handedOff = new ArrayList<>();
        spool.handOffTo(handedOff::add);
        files.fault = FailingFileLayer.Fault.DIRECTORY_SYNC;
        assertThatThrownBy(() -> FileSpoolTest.commit(spool, new byte[100])).isInstanceOf(IOException.class);
        assertThat(handedOff).isEmpty();

        files.fault = FailingFileLayer.Fault.NONE;
        QueueId id = FileSpoolTest.commit(spool, new byte[100]);
        assertThat(handedOff).containsExactly(id);
        assertThat(spool.committed()).containsExactly(id);
    }

    private static Envelope envelope() {
        return Envelopes.of(FileSpoolTest.T0, "alice@example.org", "bob@example.com");  // FileSpoolTest.commit's
    }

    private static byte[] read(FileSpool spool, QueueId id) throws IOException {
        try (InputStream in = spool.load(id).content().open()) {
            return in.readAllBytes();
        }
    }

    private List<String> spoolFiles() throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("spool"))) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void awaitSegments(int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (segments().size() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(segments()).hasSize(count);
    }

    private List<Path> segments() throws IOException {
        return journalFiles(".log");
    }

    private List<Path> journalFiles(String suffix) throws IOException {
        Path dir = data.resolve("spool").resolve("journal");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private List<String> names(String suffix) throws IOException {
        return journalFiles(suffix).stream().map(p -> p.getFileName().toString()).toList();
    }

    private void awaitFiles(String suffix, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (journalFiles(suffix).size() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(journalFiles(suffix)).hasSize(count);
    }
}
