package dev.tern.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One certificate configured as a pair of PEM files, reloaded when either file changes so that a
 * renewal (certbot rewrites the files, or re-points its {@code live/} symlinks) takes effect without a
 * restart. The check is a {@code stat} of both files, made at most once per interval by whichever
 * handshake comes first; the swap is one atomic reference write. A new file that cannot be used is
 * logged and the previous certificate stays in service.
 */
public final class ReloadingCertificate {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingCertificate.class);

    /** A certificate in service, numbered so a handshake can ask again for exactly the one it chose. */
    record Generation(long number, CertifiedKey key) {
    }

    /** What a file looked like: a changed inode, time or size means it was rewritten or re-linked. */
    private record FileStamp(Object fileKey, FileTime modified, long size, String error) {
        static FileStamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class); // follows symlinks
                return new FileStamp(a.fileKey(), a.lastModifiedTime(), a.size(), null);
            } catch (IOException e) {
                return new FileStamp(null, null, -1, e.toString());
            }
        }
    }

    private record Stamp(FileStamp chain, FileStamp key) {
    }

    private final Path chainFile;
    private final Path keyFile;
    private final long intervalNanos;
    private final ReentrantLock checking = new ReentrantLock();
    private final AtomicReference<Generation> current = new AtomicReference<>();
    private volatile Generation previous;
    private volatile Stamp lastSeen;
    private volatile long nextCheck;

    private ReloadingCertificate(Path chainFile, Path keyFile, Duration interval) {
        this.chainFile = Objects.requireNonNull(chainFile);
        this.keyFile = Objects.requireNonNull(keyFile);
        this.intervalNanos = interval.toNanos();
    }

    /** Loads the files now (a failure here is fatal to the caller) and watches them from then on. */
    static ReloadingCertificate open(Path chainFile, Path keyFile, Duration interval) throws TlsFileException {
        ReloadingCertificate cert = new ReloadingCertificate(chainFile, keyFile, interval);
        Stamp stamp = cert.stamp();
        CertifiedKey key = PemLoader.load(chainFile, keyFile);
        cert.install(key, stamp);
        LOG.info("tls certificate loaded: {}", key.describe());
        cert.nextCheck = System.nanoTime() + cert.intervalNanos;
        return cert;
    }

    /** The certificate in service, after a cheap check of the files if the interval has passed. */
    public CertifiedKey current() {
        return generation().key();
    }

    /**
     * Checks the files now, whatever the interval (for a SIGHUP or an admin command).
     *
     * @return true when a new certificate was loaded and is now in service
     */
    public boolean reloadIfChanged() {
        checking.lock();
        try {
            return checkLocked();
        } finally {
            checking.unlock();
        }
    }

    public Path chainFile() {
        return chainFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    Generation generation() {
        long now = System.nanoTime();
        if (now - nextCheck >= 0 && checking.tryLock()) { // one handshake checks; the others go on
            try {
                nextCheck = now + intervalNanos;
                checkLocked();
            } finally {
                checking.unlock();
            }
        }
        return current.get();
    }

    /** The generation with this number if it is still known (the current one or the one before). */
    Generation generation(long number) {
        Generation now = current.get();
        if (now.number() == number) {
            return now;
        }
        Generation before = previous;
        return before != null && before.number() == number ? before : null;
    }

    private boolean checkLocked() {
        Stamp stamp = stamp();
        if (stamp.equals(lastSeen)) {
            return false;
        }
        lastSeen = stamp; // a broken file is reported once, and tried again when it changes again
        try {
            install(PemLoader.load(chainFile, keyFile), stamp);
            LOG.info("tls certificate reloaded: {}", current.get().key().describe());
            return true;
        } catch (TlsFileException e) {
            LOG.error("tls certificate not reloaded, keeping the previous one ({}): {}",
                    current.get().key().describe(), e.getMessage());
            return false;
        }
    }

    private void install(CertifiedKey key, Stamp stamp) {
        for (String warning : key.warnings(Instant.now())) {
            LOG.warn("tls certificate {}: {}", chainFile, warning);
        }
        Generation old = current.get();
        previous = old;
        current.set(new Generation(old == null ? 1 : old.number() + 1, key));
        lastSeen = stamp;
    }

    private Stamp stamp() {
        return new Stamp(FileStamp.of(chainFile), FileStamp.of(keyFile));
    }
}
