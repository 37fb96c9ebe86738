package dev.tern.queue;

import dev.tern.io.AtomicFiles;
import dev.tern.io.FileLayer;
import dev.tern.io.PrivateFiles;
import dev.tern.io.RealFileLayer;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.observe.MailLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    private final Path dir;
    private final FileLayer files;
    private final GroupSync directorySync;
    private volatile Consumer<QueueId> handOff = id -> { };

    public FileSpool(Path dataDir) throws IOException {
        this(dataDir, RealFileLayer.INSTANCE);
    }

    /**
     * Opens (creating if needed) {@code <dataDir>/spool} and removes what an earlier run left unfinished:
     * drafts, temporary state files, state files without a message. Call before any session can write.
     */
    public FileSpool(Path dataDir, FileLayer files) throws IOException {
        this(dataDir, files, true);
    }

    private FileSpool(Path dataDir, FileLayer files, boolean cleanUp) throws IOException {
        this.dir = dataDir.resolve("spool");
        this.files = files;
        PrivateFiles.createDirectories(dir);
        this.directorySync = new GroupSync(files, dir);
        if (cleanUp) {
            removeLeftovers();
        }
    }

    /**
     * Opens the spool beside a server that may be running ({@code tern sendmail}, {@code tern queue}): it
     * commits and reads messages like the server's own spool but never removes leftovers, which could be
     * the drafts of the server's sessions. Committed messages are handed to nobody until
     * {@link #handOffTo} is called; the server finds them when told, or at its next start.
     */
    public static FileSpool shared(Path dataDir) throws IOException {
        return new FileSpool(dataDir, RealFileLayer.INSTANCE, false);
    }

    public Path directory() {
        return dir;
    }

    @Override
    public Draft create() throws IOException {
        QueueId id = QueueId.next();
        Path draft = dir.resolve(id + DRAFT);
        return new FileDraft(this, id, draft, files.create(draft));
    }

    /** Where committed messages go: the runner's in-memory hand-off, called after the commit is durable. */
    public void handOffTo(Consumer<QueueId> listener) {
        this.handOff = listener;
    }

    /** Ids of the committed messages, oldest first. */
    public List<QueueId> committed() throws IOException {
        List<QueueId> ids = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(MESSAGE))
                    .map(n -> n.substring(0, n.length() - MESSAGE.length())).filter(QueueId::isValid)
                    .forEach(n -> ids.add(new QueueId(n)));
        }
        ids.sort(null);
        return ids;
    }

    /** Reads a committed message's envelope and content location; fails if it is gone or unreadable. */
    public StoredMessage load(QueueId id) throws IOException {
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
        try {
            return Optional.of(StateCodec.decode(Files.readAllBytes(stateFile(id))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Replaces the message's delivery state atomically and durably (temp, fsync, rename, directory fsync). */
    public void saveState(QueueId id, DeliveryState state) throws IOException {
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
        files.delete(messageFile(id));
        if (stateWritten) {
            files.delete(stateFile(id));
        }
    }

    /** Whether the message exists (committed, not yet finished or deleted). */
    public boolean exists(QueueId id) {
        return Files.exists(messageFile(id));
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
        return Files.exists(holdFile(id));
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
