package dev.tern.store;

import dev.tern.io.AtomicFiles;
import dev.tern.io.GroupSync;
import dev.tern.io.PrivateFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maildir mailboxes under {@code <dataDir>/mail/<domain>/<localpart>/} with {@code tmp/ new/ cur/}, created on
 * first delivery. A message is written to {@code tmp/}, fsync'd, renamed into {@code new/}, and {@code new/} is
 * fsync'd, so a reader (Dovecot, mutt) never sees a partial file and a returned delivery survives a crash.
 * Deliveries into the same {@code new/} share its fsync ({@link GroupSync}): none returns before an fsync that
 * began after its rename, so each is as durable as with an fsync of its own, and a mailbox that receives much
 * mail (a list's archive, a role address, a client sending one message after another) costs one directory fsync
 * per batch, not per message. A batch gathers for {@link #NEW_SYNC_GATHER} after its first delivery: nobody
 * waits for a delivery but the queue (the client had its 250 when the message was in the spool), and the fsync
 * it saves is one the next message's spool sync would otherwise queue behind on the disk.
 *
 * <p>File names follow the Maildir convention: {@code <seconds>.M<micros>P<pid>Q<counter>.<host>,S=<size>}
 * ({@code Q} is a per-process counter, so names are unique without sleeping; {@code S=} is the file size,
 * which Dovecot uses to avoid a stat).
 *
 * <p>Folders use the Maildir++ layout Dovecot reads by default: folder {@code Junk} of a mailbox is the Maildir
 * {@code <mailbox>/.Junk/} with its own {@code tmp/ new/ cur/} and an empty {@code maildirfolder} file, created
 * at the first delivery into it.
 *
 * <p>Quotas: a user with a storage quota (the {@code QuotaLimits} given, usually the directory's override or
 * {@code [mailbox] default_quota}) has it kept in the mailbox's Maildir++ {@code maildirsize} file
 * ({@link MaildirSize}), which Dovecot reads too. A message that would pass it is refused with
 * {@link QuotaExceededException} before it is renamed into {@code new/}; each stored message adds its line.
 */
public final class MaildirStore implements MailboxStore, MailboxQuota {

    /** Enough for the delivery's header lines and most messages: one write each. */
    private static final int WRITE_BUFFER = 8 * 1024;
    private static final java.util.regex.Pattern FOLDER = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Path root;
    private final String host;
    private final Clock clock;
    private final long pid = ProcessHandle.current().pid();
    private final AtomicLong counter = new AtomicLong();
    private final Set<Path> ready = ConcurrentHashMap.newKeySet();
    /**
     * The group syncs of the {@code new/} directories delivered to. Dropped all at once past {@link #SYNCS_KEPT}
     * (one per mailbox would otherwise grow with the users): a delivery waiting in a dropped one is still served
     * by it, and the next one starts a new batch.
     */
    private final ConcurrentHashMap<Path, GroupSync> newDirectorySyncs = new ConcurrentHashMap<>();
    private static final int SYNCS_KEPT = 4096;
    /** How long a batch of deliveries into one {@code new/} gathers before its fsync (see the class comment). */
    static final Duration NEW_SYNC_GATHER = Duration.ofMillis(5);
    private final QuotaLimits quotas;

    /** The storage quota of a canonical user in octets, 0 for none. */
    @FunctionalInterface
    public interface QuotaLimits {
        long of(String user);

        QuotaLimits NONE = user -> 0;
    }

    /** @param hostname this machine's name, part of every file name (Maildir uniqueness across hosts) */
    public MaildirStore(Path dataDir, String hostname) {
        this(dataDir, hostname, QuotaLimits.NONE);
    }

    /** As above, with each user's storage quota. */
    public MaildirStore(Path dataDir, String hostname, QuotaLimits quotas) {
        this(dataDir, hostname, Clock.systemUTC(), quotas);
    }

    MaildirStore(Path dataDir, String hostname, Clock clock) {
        this(dataDir, hostname, clock, QuotaLimits.NONE);
    }

    MaildirStore(Path dataDir, String hostname, Clock clock, QuotaLimits quotas) {
        this.root = dataDir.resolve("mail").toAbsolutePath().normalize();
        // Maildir: '/' and ':' in the host name are written as octal escapes
        this.host = hostname.replace("/", "\\057").replace(":", "\\072");
        this.clock = clock;
        this.quotas = quotas;
    }

    /**
     * Whether the user's mailbox has reached its quota (octets or, when {@code maildirsize} sets one, messages);
     * false for a user without a quota or a mailbox. Reads, and when due recalculates, {@code maildirsize}.
     */
    @Override
    public boolean isFull(String user) throws IOException {
        long limit = quotas.of(user);
        Path box = mailbox(user);
        if (limit <= 0 || !Files.isDirectory(box)) {
            return false;
        }
        MaildirSize.Quota quota = MaildirSize.read(box, limit, clock.instant());
        return quota.limits().reached(quota.usage());
    }

    /** The mailbox directory of a canonical user, e.g. {@code <dataDir>/mail/example.org/alice}. */
    public Path mailbox(String user) throws IOException {
        String canonical = user.toLowerCase(Locale.ROOT);
        int at = canonical.lastIndexOf('@');
        if (at < 0) {
            throw new IOException("not a local@domain user name");
        }
        String local = checkComponent(canonical.substring(0, at));
        String domain = checkComponent(canonical.substring(at + 1));
        Path box = root.resolve(domain).resolve(local).normalize();
        if (!box.getParent().getParent().equals(root)) {
            throw new IOException("user name escapes the mail directory");
        }
        return box;
    }

    @Override
    public String deliver(String user, String folder, byte[] prefix, InputStream content) throws IOException {
        Placed placed = place(user, folder, prefix, content);
        placed.awaitDurable();
        return placed.where();
    }

    /** Writes, fsyncs and renames the message into {@code new/}; its {@link Placed#awaitDurable} syncs {@code new/}. */
    @Override
    public Placed place(String user, String folder, byte[] prefix, InputStream content) throws IOException {
        Path box = mailbox(user);
        prepare(box);
        if (folder != null) {
            box = folder(box, folder);
        }
        Instant now = clock.instant();
        String base = now.getEpochSecond() + ".M" + (now.getNano() / 1000) + "P" + pid + "Q"
                + counter.incrementAndGet() + "." + host;
        Path tmp = box.resolve("tmp").resolve(base);
        long size;
        try {
            size = write(tmp, prefix, content);
            long limit = quotas.of(user);
            Path top = mailbox(user);
            if (limit > 0) {
                refuseOverQuota(user, top, limit, size);
            }
            String name = base + ",S=" + size;
            Path placed = box.resolve("new").resolve(name);
            AtomicFiles.moveAtomically(tmp, placed);
            GroupSync sync = newDirectorySync(placed.getParent());
            return new InNew(root.relativize(placed).toString(), sync, sync.join(), limit > 0 ? top : null, size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private GroupSync newDirectorySync(Path dir) {
        if (newDirectorySyncs.size() > SYNCS_KEPT) {
            newDirectorySyncs.clear();
        }
        return newDirectorySyncs.computeIfAbsent(dir, d -> new GroupSync(() -> AtomicFiles.syncDirectory(d),
                NEW_SYNC_GATHER));
    }

    /** A message renamed into {@code new/}: durable once a sync of {@code new/} joined after the rename is done. */
    private static final class InNew implements Placed {
        private final String where;
        private final GroupSync sync;
        private final GroupSync.Joined joined;
        /** The mailbox whose {@code maildirsize} counts the message once it is durable, or null (no quota). */
        private final Path quotaBox;
        private final long size;
        private boolean durable;

        InNew(String where, GroupSync sync, GroupSync.Joined joined, Path quotaBox, long size) {
            this.where = where;
            this.sync = sync;
            this.joined = joined;
            this.quotaBox = quotaBox;
            this.size = size;
        }

        @Override
        public String where() {
            return where;
        }

        @Override
        public void awaitDurable() throws IOException {
            if (durable) {
                return;
            }
            sync.await(joined);
            durable = true;
            if (quotaBox != null) {
                MaildirSize.add(quotaBox, size, 1);
            }
        }
    }

    /** Refuses a message that would pass the quota; the file written to {@code tmp/} is then removed. */
    private void refuseOverQuota(String user, Path top, long limit, long size) throws IOException {
        MaildirSize.Quota quota = MaildirSize.read(top, limit, clock.instant());
        if (quota.limits().exceededBy(quota.usage(), size)) {
            throw new QuotaExceededException(user + " is over quota: " + quota.usage().bytes() + " of "
                    + quota.limits().bytes() + " octets used, the message has " + size);
        }
    }

    private static long write(Path file, byte[] prefix, InputStream content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PrivateFiles.fileAttributes(file))) {
            // The header lines and a small message leave in one write; a large one passes the buffer in its runs.
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), WRITE_BUFFER);
            out.write(prefix);
            long size = prefix.length + content.transferTo(out);
            out.flush();
            ch.force(true);
            return size;
        }
    }

    /** The Maildir++ folder {@code <box>/.<name>}, created with its marker file when missing. */
    private Path folder(Path box, String name) throws IOException {
        if (!FOLDER.matcher(name).matches()) {
            throw new IOException("unsafe folder name");
        }
        Path dir = box.resolve("." + name);
        if (!ready.contains(dir)) {
            createTree(dir);
            Path marker = dir.resolve("maildirfolder"); // Maildir++: marks a folder, not a top-level mailbox
            if (!Files.exists(marker)) {
                PrivateFiles.createFile(marker);
                AtomicFiles.syncDirectory(dir);
            }
            ready.add(dir);
        }
        return dir;
    }

    /** Creates tmp/ new/ cur/ once per mailbox, fsyncing each new directory's parent so the tree survives. */
    private void prepare(Path box) throws IOException {
        if (ready.contains(box)) {
            return;
        }
        createTree(box);
        ready.add(box);
    }

    private void createTree(Path box) throws IOException {
        for (Path dir : new Path[] {root, box.getParent(), box, box.resolve("tmp"), box.resolve("new"),
                box.resolve("cur")}) {
            if (!Files.isDirectory(dir)) {
                PrivateFiles.createDirectories(dir);
                AtomicFiles.syncDirectory(dir.getParent());
            }
        }
    }

    /** Refuses names that could leave the mail directory or hide as dot files. */
    private static String checkComponent(String part) throws IOException {
        if (part.isEmpty() || part.startsWith(".") || part.contains("/") || part.contains("\\")
                || part.contains("..") || part.indexOf('\0') >= 0) {
            throw new IOException("unsafe user name for a mailbox");
        }
        for (int i = 0; i < part.length(); i++) {
            if (Character.isISOControl(part.charAt(i))) {
                throw new IOException("unsafe user name for a mailbox");
            }
        }
        return part;
    }
}
