package dev.tern.queue;

import dev.tern.io.FileLayer;
import dev.tern.io.GroupSync;
import dev.tern.io.PrivateFiles;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.observe.MailLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The spool's journal: messages on their way to their first delivery attempt, appended to segment files
 * ({@code spool/journal/<sequence>.log}) instead of one file each.
 *
 * <p>Why: a message in its own file costs a file creation, a rename, a directory fsync and an unlink. Measured
 * on the reference machine (docs/performance.md, "The spool journal"), those directory operations were most of the
 * server's CPU time: the inode allocator, the directory's lock, and the checks that a just-freed inode is not
 * reused too soon. A journal append costs one write into a file that already exists, and its fdatasync is shared
 * by every session that committed meanwhile ({@link GroupSync}).
 *
 * <p>Invariant 1 holds: {@link #append} returns only once the record is on disk. Appends are written one at a
 * time under a lock, so a record is whole before the next begins; the sync that acknowledges a record began
 * after it was written, and covers every segment written since the previous sync. After a crash only the last
 * record of a segment can be torn, and it was never acknowledged ({@link JournalRecord#readAll}).
 *
 * <p>A message stays in the journal only until its first attempt ends: finished, it gets a done record (not
 * synced on its own: the next commit's sync carries it, as a file spool's unlink rides on the next directory
 * fsync; lost to a power cut, it means the message is delivered again, never lost); anything else that would
 * outlive the attempt (a state to save, a hold) first moves it to its own file ({@link FileSpool}). A segment is
 * retired once it and every older one hold no live message, oldest first, each retirement made durable before the
 * next, so a done record never disappears before the commit it closes; retired, it is kept as a spare to become a
 * later segment, or deleted ({@link #retire}). When the spool opens, what an earlier
 * run left in the journal is moved to files ({@link #recover}), so the journal always starts empty.
 */
final class SpoolJournal {

    /**
     * A segment is closed for appends once it would grow past this: large enough that opening one (a file
     * creation and a directory fsync) is rare, small enough that a few slow first attempts keep little disk.
     */
    static final long SEGMENT_SIZE = 32L * 1024 * 1024;

    /** Where one committed message is, and what its trailer said. */
    record Entry(Segment segment, long payloadStart, long payloadLength, Envelope envelope, long contentLength,
                 SpoolExtras extras) {
    }

    /** One segment file; its fields are guarded by the journal's lock. */
    static final class Segment {
        final Path path;
        final FileChannel channel;
        /** The number in its name, which every record's checksum covers ({@link JournalRecord}). */
        final long sequence;
        long size;
        int live;
        /** Appends go to a new segment: a write or a sync failed here. */
        volatile boolean broken;
        /** A sync failed: nothing written here since the last good sync may be acknowledged. */
        volatile boolean syncFailed;
        /** Drained and handed to the retirer: nothing in it needs a sync any more. */
        volatile boolean retired;

        Segment(Path path, FileChannel channel, long sequence) {
            this.path = path;
            this.channel = channel;
            this.sequence = sequence;
        }
    }

    private final Path dir;
    private final FileLayer files;
    private final long segmentSize;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final Set<Segment> unsynced = new LinkedHashSet<>();
    private final GroupSync sync = new GroupSync(this::syncWritten);
    private final Map<QueueId, Entry> entries = new ConcurrentHashMap<>();
    /** Retires drained segments one at a time, in order ({@link #retire}). */
    private final ExecutorService retirer = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("journal-retire").factory());
    private long nextSequence = 1;
    /** Drained segments waiting to be appended to again ({@link #retire}); guarded by the lock. */
    private final ArrayDeque<Path> spares = new ArrayDeque<>();
    /** Two: one for the segment that drains next while the other is being filled. */
    static final int SPARES_KEPT = 2;
    static final String SEGMENT = ".log";
    private static final String SPARE = ".spare";

    /** Opens an empty journal in {@code dir}; call {@link #recover} first for what an earlier run left. */
    SpoolJournal(Path dir, FileLayer files, long segmentSize) throws IOException {
        this.dir = PrivateFiles.createDirectories(dir);
        this.files = files;
        this.segmentSize = segmentSize;
        for (Path left : journalFiles(dir, SEGMENT)) { // none after recover(); never reuse a name all the same
            nextSequence = Math.max(nextSequence, JournalRecord.sequenceOf(left) + 1);
        }
        keepSpares();
    }

    /**
     * An earlier run's spares are appended to again, as its own would have been: the first segments after a
     * restart then cost no block allocation either. Safe because every number this journal gives a segment is
     * above every number a file here is named by: what a spare holds was written under its own number or an
     * older one, whose checksums fail under the new number ({@link JournalRecord}). Spares past
     * {@link #SPARES_KEPT} are deleted. Only spares this format made exist (the first format made none).
     */
    private void keepSpares() throws IOException {
        for (Path spare : journalFiles(dir, SPARE)) {
            long number = JournalRecord.numberOf(spare, SPARE);
            if (number < 0) {
                continue; // not a name this journal writes: left alone
            }
            nextSequence = Math.max(nextSequence, number + 1);
            if (spares.size() < SPARES_KEPT) {
                spares.addLast(spare);
            } else {
                files.delete(spare);
            }
        }
    }

    /** The message, if it is in the journal. */
    Entry entry(QueueId id) {
        return entries.get(id);
    }

    /** Ids of the messages in the journal. */
    List<QueueId> ids() {
        return new ArrayList<>(entries.keySet());
    }

    /**
     * Appends a committed message and returns once it is durable.
     *
     * @param payload the message as its own spool file would hold it: content buffers, then the trailer
     */
    void append(QueueId id, List<ByteBuffer> payload, Envelope envelope, long contentLength, SpoolExtras extras)
            throws IOException {
        long length = payloadLength(payload);
        CRC32C crc = new CRC32C();
        ByteBuffer header = JournalRecord.header(JournalRecord.COMMIT, id, length, crc);
        for (ByteBuffer b : payload) {
            crc.update(b.duplicate());
        }
        ByteBuffer[] record = new ByteBuffer[payload.size() + 2];
        record[0] = header;
        for (int i = 0; i < payload.size(); i++) {
            record[i + 1] = payload.get(i);
        }
        Entry entry = write(id, record, crc, length, envelope, contentLength, extras);
        try {
            sync.await();
            if (entry.segment().syncFailed) { // an earlier sync of this segment failed: its data may be lost
                throw new IOException("journal segment " + entry.segment().path.getFileName() + " failed to sync");
            }
        } catch (IOException e) {
            closeRecord(id, entry.segment()); // the client hears of a failure: the message must not come back
            throw e;
        }
        entries.put(id, entry);
    }

    private static long payloadLength(List<ByteBuffer> payload) {
        long n = 0;
        for (ByteBuffer b : payload) {
            n += b.remaining();
        }
        return n;
    }

    /** Writes a record whose last buffer, the checksum, is made here: it depends on the segment written to. */
    private Entry write(QueueId id, ByteBuffer[] record, CRC32C crc, long payloadLength, Envelope envelope,
                        long contentLength, SpoolExtras extras) throws IOException {
        long total = JournalRecord.headerLength(id) + payloadLength + 4;
        lock.lock();
        try {
            Segment segment = writable(total);
            record[record.length - 1] = JournalRecord.checksum(crc, segment.sequence);
            long start = segment.size;
            try {
                writeFully(segment, record);
            } catch (IOException e) {
                segment.broken = true; // what it holds past here may be torn: the next append opens a new one
                throw e;
            }
            segment.size += total;
            segment.live++;
            unsynced.add(segment);
            return new Entry(segment, start + JournalRecord.headerLength(id), payloadLength, envelope, contentLength,
                    extras);
        } finally {
            lock.unlock();
        }
    }

    private static void writeFully(Segment segment, ByteBuffer[] record) throws IOException {
        segment.channel.position(segment.size);
        long left = 0;
        for (ByteBuffer b : record) {
            left += b.remaining();
        }
        while (left > 0) {
            left -= segment.channel.write(record);
        }
    }

    /**
     * Marks a message finished or moved to its own file; its segment may then be deleted. Not synced here (see
     * the class comment). Returns whether the message was in the journal.
     */
    boolean done(QueueId id) {
        Entry entry = entries.remove(id);
        if (entry == null) {
            return false;
        }
        closeRecord(id, entry.segment());
        return true;
    }

    private void closeRecord(QueueId id, Segment of) {
        CRC32C crc = new CRC32C();
        ByteBuffer header = JournalRecord.header(JournalRecord.DONE, id, 0, crc);
        lock.lock();
        try {
            try {
                Segment segment = writable(header.remaining() + 4L);
                writeFully(segment, new ByteBuffer[] {header, JournalRecord.checksum(crc, segment.sequence)});
                segment.size += header.limit() + 4L;
                unsynced.add(segment);
            } catch (IOException e) {
                // the message may be delivered again after a crash: a duplicate, never a loss
                MailLog.event(id.value(), "journal-write-failed").with("reason", e.getMessage()).warn();
                if (!segments.isEmpty()) {
                    segments.peekLast().broken = true;
                }
            }
            of.live--;
            retireFinishedSegments();
        } finally {
            lock.unlock();
        }
    }

    /** The segment to append {@code length} octets to: the current one, or a new one. Called with the lock. */
    private Segment writable(long length) throws IOException {
        Segment current = segments.peekLast();
        if (current == null || current.broken || (current.size > 0 && current.size + length > segmentSize)) {
            current = openSegment();
            segments.addLast(current);
        }
        return current;
    }

    /**
     * A segment to append to from its start, whose name is durable before anything in it is acknowledged: a spare
     * (a drained segment renamed), or a new file when there is none.
     */
    private Segment openSegment() throws IOException {
        long sequence = nextSequence++;
        Path path = fileOf(sequence, SEGMENT);
        Path spare = spares.pollFirst();
        if (spare != null) {
            try {
                files.rename(spare, path);
            } catch (IOException e) {
                files.delete(spare);
                spare = null;
            }
        }
        FileChannel channel = FileChannel.open(path, spare != null ? Set.of(StandardOpenOption.READ,
                StandardOpenOption.WRITE) : Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PrivateFiles.fileAttributes(path));
        try {
            files.syncDirectory(dir);
        } catch (IOException e) {
            channel.close();
            Files.deleteIfExists(path);
            throw e;
        }
        return new Segment(path, channel, sequence);
    }

    /** Retires the oldest segments while none of their messages is live. Called with the lock. */
    private void retireFinishedSegments() {
        while (segments.size() > 1 && segments.peekFirst().live == 0) {
            Segment oldest = segments.removeFirst();
            oldest.retired = true;
            unsynced.remove(oldest);
            retirer.execute(() -> retire(oldest));
        }
    }

    /**
     * Retires a drained segment, on the one retirer thread, so in the order they drained: renamed to a spare
     * ({@code <sequence>.spare}, which no reader takes for a segment) while fewer than {@link #SPARES_KEPT} wait,
     * else deleted. Each retirement is made durable before the next, so a done record never disappears before the
     * commit it closes. Not under the lock: deleting a 32 MiB file can take long (a file system mounted with
     * {@code discard} trims its blocks at once), and commits and done records must not wait for it.
     *
     * <p>Why spares: appending into blocks a file already has changes no metadata, so each commit's fdatasync
     * writes the data alone (on a file system with a journal it also saves a journal commit), and the segment's
     * blocks are neither freed nor allocated again.
     */
    private void retire(Segment segment) {
        try {
            segment.channel.close();
            if (spareRoom()) {
                Path spare = fileOf(segment.sequence, SPARE);
                files.rename(segment.path, spare);
                files.syncDirectory(dir);
                addSpare(spare);
                return;
            }
            files.delete(segment.path);
            files.syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            // left on disk: its messages are all done, so a restart moves nothing of it
            MailLog.event("-", "journal-segment-kept").with("segment", segment.path.getFileName().toString())
                    .with("reason", e.getMessage()).warn();
        }
    }

    /** The file of the segment or spare numbered {@code sequence}. */
    private Path fileOf(long sequence, String suffix) {
        return dir.resolve(String.format(Locale.ROOT, "%016d", sequence) + suffix);
    }

    private boolean spareRoom() {
        lock.lock();
        try {
            return spares.size() < SPARES_KEPT;
        } finally {
            lock.unlock();
        }
    }

    private void addSpare(Path spare) {
        lock.lock();
        try {
            spares.addLast(spare);
        } finally {
            lock.unlock();
        }
    }

    /** The group's sync: fdatasync of every segment written since the last one. */
    private void syncWritten() throws IOException {
        List<Segment> written;
        lock.lock();
        try {
            written = new ArrayList<>(unsynced);
            unsynced.clear();
        } finally {
            lock.unlock();
        }
        for (Segment s : written) {
            if (s.retired) {
                continue; // every message in it is done
            }
            try {
                s.channel.force(false);
            } catch (ClosedChannelException e) {
                if (!s.retired) {
                    throw e;
                }
            } catch (IOException e) {
                s.syncFailed = true;
                s.broken = true;
                throw e;
            }
        }
    }

    /** Where a message left in the journal by an earlier run is. */
    record Location(Path segment, long payloadStart, long payloadLength) {
    }

    /** Moves one message out of the journal: its payload becomes the message's own spool file. */
    @FunctionalInterface
    interface Mover {
        void move(QueueId id, Location location) throws IOException;
    }

    /**
     * The messages committed and not done in the segments of {@code dir}, oldest first: what an earlier run left,
     * or, read beside a running server, what is in its journal now.
     */
    static Map<QueueId, Location> live(Path dir) throws IOException {
        Map<QueueId, Location> live = new LinkedHashMap<>();
        for (Path segment : journalFiles(dir, SEGMENT)) {
            List<JournalRecord> records;
            try {
                records = JournalRecord.readAll(segment, Files.size(segment));
            } catch (java.nio.file.NoSuchFileException retired) {
                continue;
            }
            for (JournalRecord r : records) {
                if (r.kind() == JournalRecord.COMMIT) {
                    live.put(r.id(), new Location(segment, r.payloadStart(), r.payloadLength()));
                } else {
                    live.remove(r.id());
                }
            }
        }
        return live;
    }

    /**
     * Moves every live message an earlier run left in {@code dir} to its own file, then deletes the segments.
     * Only while no server uses the spool (under the {@link SpoolLock}).
     *
     * @return how many messages were moved
     */
    static int recover(Path dir, FileLayer files, Mover mover) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Map<QueueId, Location> live = live(dir);
        for (Map.Entry<QueueId, Location> e : live.entrySet()) {
            mover.move(e.getKey(), e.getValue());
        }
        List<Path> segments = journalFiles(dir, SEGMENT);
        for (Path segment : segments) {
            files.delete(segment);
        }
        if (!segments.isEmpty()) {
            files.syncDirectory(dir);
        }
        return live.size();
    }

    /** The segments ({@link #SEGMENT}) or spares ({@link #SPARE}) in {@code dir}, in the order of their numbers. */
    private static List<Path> journalFiles(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
