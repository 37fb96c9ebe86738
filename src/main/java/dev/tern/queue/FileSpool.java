package dev.tern.queue;

import dev.tern.io.AtomicFiles;
import dev.tern.io.FileLayer;
import dev.tern.io.GroupSync;
import dev.tern.io.PrivateFiles;
import dev.tern.io.RealFileLayer;
import dev.tern.io.SyncableOutputStream;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.observe.MailLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The durable spool under {@code <dataDir>/spool/}, one flat directory:
 *
 * <ul>
 *   <li>{@code <id>.draft}: content being received; never delivered; deleted when the spool opens.</li>
 *   <li>{@code <id>.msg}: a committed message, content then envelope trailer ({@link SpoolFormat}).</li>
 *   <li>{@code <id>.state}: per-recipient delivery state ({@link DeliveryState}), only once an attempt left
 *       something open; replaced atomically ({@link AtomicFiles}).</li>
 *   <li>{@code <id>.hold}: the message is held ({@link Hold}): never attempted until released.</li>
 *   <li>{@code corrupt/}: messages whose trailer cannot be read, kept for the operator, never delivered.</li>
 *   <li>{@code journal/}: with the journal on ({@link #journaled}), messages on their way to their first attempt,
 *       appended to segment files ({@link SpoolJournal}); a message that outlives its first attempt (a state to
 *       save, a hold) first moves to its own {@code .msg} file. Messages larger than the journal takes, held
 *       messages and those a milter rewrote go to their own file at once ({@link MemoryDraft}).</li>
 * </ul>
 *
 * <p>Durability of a commit (invariant 1): the draft is written and fsync'd once, renamed to {@code .msg},
 * and the directory is fsync'd. A {@code .msg} name therefore only ever points at complete data: a crash
 * before the rename leaves a draft (deleted at the next start), a crash after it leaves a whole message.
 *
 * <p>Group commit: the directory fsync is shared through {@link GroupSync}. Each committing session does its
 * own file fsync in parallel, renames, then joins the current batch; one member (the leader) fsyncs the
 * directory for the batch while arrivals queue up for the next one. No commit returns before a directory
 * fsync that began after its rename has succeeded, so the cost per message under load is one file fsync
 * and a fraction of a directory fsync. Syscalls per message: open, writes of 64 KiB, fsync, close, rename.
 * A message delivered at its first attempt then costs one unlink, its {@code .msg} ({@link #removeFinished}).
 */
public final class FileSpool implements Spool {

    private static final String DRAFT = ".draft";
    private static final String MESSAGE = ".msg";
    private static final String STATE = ".state";
    private static final String HOLD = ".hold";

    private static final String JOURNAL = "journal";

    private final Path dir;
    private final FileLayer files;
    private final GroupSync directorySync;
    private volatile Consumer<QueueId> handOff = id -> { };
    /** Null when every message gets its own file. */
    private final SpoolJournal journal;
    private final DraftMemory draftMemory;
    /** Beside a running server: its journal is read (never written) to list and show what is in it. */
    private final boolean readsJournal;
    private volatile Map<QueueId, SpoolJournal.Location> seenInJournal = Map.of();
    /** Moving a message from the journal to its own file happens once at a time. */
    private final Object moving = new Object();

    public FileSpool(Path dataDir) throws IOException {
        this(dataDir, RealFileLayer.INSTANCE);
    }

    /**
     * Opens (creating if needed) {@code <dataDir>/spool} and removes what an earlier run left unfinished:
     * drafts, temporary state files, state files without a message. Call before any session can write.
     */
    public FileSpool(Path dataDir, FileLayer files) throws IOException {
        this(dataDir, files, true, null, 0);
    }

    private FileSpool(Path dataDir, FileLayer files, boolean cleanUp, DraftMemory journalMemory, long segmentSize)
            throws IOException {
        this.dir = dataDir.resolve("spool");
        this.files = files;
        PrivateFiles.createDirectories(dir);
        this.directorySync = new GroupSync(files, dir);
        this.readsJournal = !cleanUp;
        this.draftMemory = journalMemory;
        if (cleanUp) {
            removeLeftovers();
            recoverJournal();
        }
        this.journal = journalMemory == null ? null : new SpoolJournal(dir.resolve(JOURNAL), files, segmentSize);
    }

    /**
     * The server's spool with the journal on: small messages are committed by an append to a shared segment
     * file instead of a file each (docs/performance.md, "The spool journal"). Removes leftovers like
     * {@link #FileSpool(Path)} and first moves what an earlier run left in the journal to files.
     */
    public static FileSpool journaled(Path dataDir) throws IOException {
        return journaled(dataDir, RealFileLayer.INSTANCE, DraftMemory.defaults(), SpoolJournal.SEGMENT_SIZE);
    }

    static FileSpool journaled(Path dataDir, FileLayer files, DraftMemory memory, long segmentSize) throws IOException {
        return new FileSpool(dataDir, files, true, memory, segmentSize);
    }

    /**
     * The spool of a stopped server, for {@code tern queue} holding the {@link SpoolLock}: like {@link #shared}
     * (a {@code tern sendmail} may be writing drafts), but what the server left in its journal is first moved to
     * files, so every command sees and changes it like any other message.
     */
    public static FileSpool offline(Path dataDir) throws IOException {
        FileSpool spool = new FileSpool(dataDir, RealFileLayer.INSTANCE, false, null, 0);
        spool.recoverJournal();
        return spool;
    }

    /**
     * Opens the spool beside a server that may be running ({@code tern sendmail}, {@code tern queue}): it
     * commits and reads messages like the server's own spool but never removes leftovers, which could be
     * the drafts of the server's sessions. Committed messages are handed to nobody until
     * {@link #handOffTo} is called; the server finds them when told, or at its next start.
     */
    public static FileSpool shared(Path dataDir) throws IOException {
        return new FileSpool(dataDir, RealFileLayer.INSTANCE, false, null, 0);
    }

    public Path directory() {
        return dir;
    }

    @Override
    public Draft create() throws IOException {
        QueueId id = QueueId.next();
        return journal != null ? new MemoryDraft(this, id, draftMemory) : fileDraft(id);
    }

    /** A draft in its own file, {@code <id>.draft}. */
    FileDraft fileDraft(QueueId id) throws IOException {
        Path draft = dir.resolve(id + DRAFT);
        return new FileDraft(this, id, draft, files.create(draft));
    }

    /** A {@link MemoryDraft}'s commit: appended to the journal, durable on return, then handed off. */
    void commitToJournal(QueueId id, List<ByteBuffer> payload, Envelope envelope, long contentLength,
                         SpoolExtras extras) throws IOException {
        journal.append(id, payload, envelope, contentLength, extras);
        announce(id);
    }

    /** The journal entry of a message, or null when it has its own file (or the journal is off). */
    private SpoolJournal.Entry inJournal(QueueId id) {
        return journal == null ? null : journal.entry(id);
    }

    /** Where committed messages go: the runner's in-memory hand-off, called after the commit is durable. */
    public void handOffTo(Consumer<QueueId> listener) {
        this.handOff = listener;
    }

    /** Ids of the committed messages, oldest first. */
    public List<QueueId> committed() throws IOException {
        Set<QueueId> ids = new TreeSet<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(MESSAGE))
                    .map(n -> n.substring(0, n.length() - MESSAGE.length())).filter(QueueId::isValid)
                    .forEach(n -> ids.add(new QueueId(n)));
        }
        if (journal != null) {
            ids.addAll(journal.ids());
        } else if (readsJournal) {
            seenInJournal = SpoolJournal.live(dir.resolve(JOURNAL));
            ids.addAll(seenInJournal.keySet());
        }
        return new ArrayList<>(ids);
    }

    /** Reads a committed message's envelope and content location; fails if it is gone or unreadable. */
    public StoredMessage load(QueueId id) throws IOException {
        SpoolJournal.Entry entry = inJournal(id);
        if (entry != null) {
            return new StoredMessage(id, entry.envelope(), new ContentSlice(entry.segment().path, entry.payloadStart(),
                    entry.contentLength(), entry.extras()), entry.extras().folder());
        }
        try {
            return loadFile(id);
        } catch (NoSuchFileException gone) {
            if (readsJournal) {
                SpoolJournal.Location at = seenInJournal.get(id);
                if (at == null) {
                    seenInJournal = SpoolJournal.live(dir.resolve(JOURNAL));
                    at = seenInJournal.get(id);
                }
                if (at != null) {
                    return loadFromJournal(id, at);
                }
            }
            throw gone;
        }
    }

    /** A message the running server has in its journal, read beside it. */
    private StoredMessage loadFromJournal(QueueId id, SpoolJournal.Location at) throws IOException {
        SpoolFormat.Layout layout;
        try (FileChannel ch = FileChannel.open(at.segment(), StandardOpenOption.READ)) {
            layout = SpoolFormat.read(ch, at.payloadStart(), at.payloadLength(), id + " in the journal");
        } catch (NoSuchFileException retired) {
            throw new NoSuchFileException(id.value()); // finished while we looked
        }
        Envelope envelope = EnvelopeCodec.decode(layout.envelope());
        SpoolExtras extras = layout.extras();
        return new StoredMessage(id, envelope, new ContentSlice(at.segment(), at.payloadStart(), layout.contentLength(),
                extras), extras.folder());
    }

    private StoredMessage loadFile(QueueId id) throws IOException {
        Path file = messageFile(id);
        SpoolFormat.Layout layout = SpoolFormat.read(file);
        Envelope envelope;
        try {
            envelope = EnvelopeCodec.decode(layout.envelope());
        } catch (IOException e) {
            throw new CorruptSpoolException("unreadable envelope in " + file.getFileName(), e);
        }
        SpoolExtras extras = layout.extras();
        return new StoredMessage(id, envelope, new ContentSlice(file, layout.contentLength(), extras), extras.folder());
    }

    public Optional<DeliveryState> loadState(QueueId id) throws IOException {
        if (inJournal(id) != null) {
            return Optional.empty(); // a state is only ever saved after the message moved to its own file
        }
        try {
            return Optional.of(StateCodec.decode(Files.readAllBytes(stateFile(id))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Replaces the message's delivery state atomically and durably (temp, fsync, rename, directory fsync). */
    public void saveState(QueueId id, DeliveryState state) throws IOException {
        moveOutOfJournal(id);
        AtomicFiles.write(stateFile(id), StateCodec.encode(state));
    }

    /**
     * Deletes a finished message: the message first, so a crash in between leaves only a state file (removed
     * at the next start) and never a message whose state was lost, which would be delivered again.
     *
     * <p>The deletion is not fsync'd here: nothing waits on it, and the next commit's shared directory fsync
     * makes it durable. Losing it to a power cut would only deliver the message again; the delivery itself
     * was made durable by the courier before this call.
     */
    public void remove(QueueId id) throws IOException {
        if (journal != null && journal.done(id)) {
            return;
        }
        files.delete(messageFile(id));
        files.delete(stateFile(id));
        files.delete(holdFile(id));
    }

    /**
     * Deletes a message that a delivery attempt finished, as {@link #remove} does but without asking to
     * delete files known to be absent (one unlink each, for every message delivered):
     *
     * <ul>
     *   <li>the state file unless {@code stateWritten}: it is written only by an attempt that leaves
     *       something open, so a message finished at its first attempt never had one;</li>
     *   <li>never the hold file: the runner does not attempt a held message, and a hold waits for the running
     *       attempt to end ({@code QueueRunner.exclusive}), or is made by {@code tern queue} only while no
     *       server holds the {@link SpoolLock}.</li>
     * </ul>
     *
     * <p>Should either file exist after all (a crash, a race not foreseen here), it has no message and is
     * removed as an orphan when the spool next opens; queue ids are never reused, so it names nothing
     * meanwhile. The message goes first, as in {@link #remove}.
     */
    void removeFinished(QueueId id, boolean stateWritten) throws IOException {
        if (journal != null && journal.done(id)) {
            return; // a done record: one write, no file operation
        }
        files.delete(messageFile(id));
        if (stateWritten) {
            files.delete(stateFile(id));
        }
    }

    /** Whether the message exists (committed, not yet finished or deleted). */
    public boolean exists(QueueId id) {
        return inJournal(id) != null || Files.exists(messageFile(id));
    }

    /**
     * Holds a committed message: it is not attempted until {@link #release}d. Durable (written atomically);
     * the runner is told separately ({@link QueueRunner#hold}).
     *
     * @throws NoSuchFileException when there is no such message
     */
    public void hold(QueueId id, Hold hold) throws IOException {
        if (!exists(id)) {
            throw new NoSuchFileException(id.value());
        }
        moveOutOfJournal(id); // a held message outlives its first attempt
        AtomicFiles.write(holdFile(id), hold.encode());
        if (!exists(id)) { // finished meanwhile: do not leave a hold without a message
            files.delete(holdFile(id));
            throw new NoSuchFileException(id.value());
        }
    }

    /** The message's hold, or empty when it is not held (or unreadable hold data, which still holds it). */
    public Optional<Hold> hold(QueueId id) throws IOException {
        try {
            return Optional.of(Hold.decode(Files.readAllBytes(holdFile(id))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (Files.exists(holdFile(id))) {
                return Optional.of(new Hold("unreadable hold file", Instant.EPOCH));
            }
            throw e;
        }
    }

    public boolean isHeld(QueueId id) {
        return inJournal(id) == null && Files.exists(holdFile(id));
    }

    /** Removes a hold durably; returns whether there was one. */
    public boolean release(QueueId id) throws IOException {
        boolean removed = files.delete(holdFile(id));
        if (removed) {
            directorySync.await();
        }
        return removed;
    }

    /** Moves an unreadable message aside to {@code corrupt/} so that it is never attempted again. */
    public void quarantine(QueueId id) throws IOException {
        moveOutOfJournal(id);
        Path corrupt = PrivateFiles.createDirectories(dir.resolve("corrupt"));
        Files.move(messageFile(id), corrupt.resolve(id + MESSAGE), StandardCopyOption.ATOMIC_MOVE);
        files.delete(stateFile(id));
        files.delete(holdFile(id));
        directorySync.await();
    }

    /** The queue as {@code tern queue list} shows it; works without a running runner. */
    public List<QueuedMessage> list() throws IOException {
        List<QueuedMessage> out = new ArrayList<>();
        for (QueueId id : committed()) {
            try {
                StoredMessage m = load(id);
                DeliveryState state = loadState(id).orElse(DeliveryState.initial(m.envelope().recipients().size()));
                out.add(QueueListing.entry(m, state, hold(id).orElse(null)));
            } catch (NoSuchFileException gone) {
                // delivered while we listed
            } catch (CorruptSpoolException e) {
                // unreadable: the runner moves it to corrupt/ at its next attempt; not listable meanwhile
            }
        }
        return out;
    }

    /**
     * One message as {@code tern queue show} describes it.
     *
     * @throws NoSuchFileException when there is no such message
     */
    public QueuedMessage describe(QueueId id) throws IOException {
        StoredMessage m = load(id);
        DeliveryState state = loadState(id).orElse(DeliveryState.initial(m.envelope().recipients().size()));
        return QueueListing.entry(m, state, hold(id).orElse(null));
    }

    FileLayer files() {
        return files;
    }

    Path messageFile(QueueId id) {
        return dir.resolve(id + MESSAGE);
    }

    private Path stateFile(QueueId id) {
        return dir.resolve(id + STATE);
    }

    Path holdFile(QueueId id) {
        return dir.resolve(id + HOLD);
    }

    void syncDirectory() throws IOException {
        directorySync.await();
    }

    GroupSync groupSync() {
        return directorySync;
    }

    /** Called by a draft once its commit is durable. */
    void announce(QueueId id) {
        try {
            handOff.accept(id);
        } catch (RuntimeException e) {
            // the message is safe on disk and is picked up at the next start
            MailLog.event(id.value(), "queue-handoff-failed").with("reason", e.toString()).warn();
        }
    }

    /**
     * Moves a message from the journal to its own {@code .msg} file, durably, before anything about it that
     * outlives its first attempt is written (a state, a hold). Nothing happens for a message that has its file.
     */
    private void moveOutOfJournal(QueueId id) throws IOException {
        synchronized (moving) {
            SpoolJournal.Entry entry = inJournal(id);
            if (entry == null) {
                return;
            }
            copyToFile(id, new SpoolJournal.Location(entry.segment().path, entry.payloadStart(), entry.payloadLength()));
            directorySync.await();
            journal.done(id);
        }
    }

    /** What an earlier run left in the journal becomes files, so the runner finds every message as before. */
    private void recoverJournal() throws IOException {
        int moved = SpoolJournal.recover(dir.resolve(JOURNAL), files, this::copyToFile);
        if (moved > 0) {
            directorySync.await();
            MailLog.event("-", "journal-recovered").with("messages", Integer.toString(moved)).log();
        }
    }

    /**
     * Writes a journal record's payload as the message's own file (draft, fsync, rename; the caller syncs the
     * directory). A file already there is the same message, moved before its done record was lost: kept.
     */
    private void copyToFile(QueueId id, SpoolJournal.Location from) throws IOException {
        Path target = messageFile(id);
        if (Files.exists(target)) {
            return;
        }
        Path draft = dir.resolve(id + DRAFT);
        try (FileChannel in = FileChannel.open(from.segment(), StandardOpenOption.READ);
             SyncableOutputStream out = files.create(draft)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long position = from.payloadStart();
            long end = position + from.payloadLength();
            while (position < end) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                int n = in.read(buffer, position);
                if (n < 0) {
                    throw new IOException("journal segment " + from.segment().getFileName() + " ends inside " + id);
                }
                out.write(buffer.array(), 0, n);
                position += n;
            }
            out.sync();
        } catch (IOException | RuntimeException e) {
            files.delete(draft);
            throw e;
        }
        files.rename(draft, target);
    }

    private void removeLeftovers() throws IOException {
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(Files::isRegularFile).forEach(p -> {
                String name = p.getFileName().toString();
                if (name.endsWith(DRAFT) || name.startsWith(".") || orphan(name, STATE) || orphan(name, HOLD)) {
                    leftovers.add(p);
                }
            });
        }
        for (Path p : leftovers) {
            files.delete(p);
        }
        if (!leftovers.isEmpty()) {
            directorySync.await();
        }
    }

    /** A state or hold file whose message is gone (finished, or its commit never completed). */
    private boolean orphan(String name, String suffix) {
        return name.endsWith(suffix)
                && !Files.exists(dir.resolve(name.substring(0, name.length() - suffix.length()) + MESSAGE));
    }
}
