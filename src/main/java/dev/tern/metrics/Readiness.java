package dev.tern.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code /readyz} asks before a load balancer or orchestrator sends mail here: every listener accepts, the
 * spool can be written (else every message would get 451) and its file system has room above the floor
 * {@code [metrics] min_free_disk} (Postfix refuses mail below its {@code queue_minfree} for the same reason).
 *
 * <p>The spool's owner write bit is checked beside {@link Files#isWritable}: a server running as root may
 * write anywhere, but a spool an operator made read-only is meant to stop mail, and says so here.
 */
public final class Readiness {

    private final Supplier<Map<String, Boolean>> listeners;
    private final Path spool;
    private final long minFreeDisk;

    /**
     * @param listeners each listener's name and whether it accepts
     * @param spool     the spool directory
     */
    public Readiness(Supplier<Map<String, Boolean>> listeners, Path spool, long minFreeDisk) {
        this.listeners = listeners;
        this.spool = spool;
        this.minFreeDisk = minFreeDisk;
    }

    /** Why the server is not ready, or null when it is. */
    public String problem() {
        StringBuilder why = new StringBuilder();
        listeners.get().forEach((name, accepting) -> {
            if (!accepting) {
                add(why, "listener " + name + " is not accepting");
            }
        });
        if (!writable(spool)) {
            add(why, "spool " + spool.getFileName() + " is not writable");
        } else {
            try {
                long free = Files.getFileStore(spool).getUsableSpace();
                if (free < minFreeDisk) {
                    add(why, "free disk " + free + " bytes is below min_free_disk " + minFreeDisk);
                }
            } catch (IOException e) {
                add(why, "cannot read the free disk space: " + e.getMessage());
            }
        }
        return why.isEmpty() ? null : why.toString();
    }

    private static boolean writable(Path dir) {
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return false;
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        try {
            return posix == null || posix.readAttributes().permissions().contains(PosixFilePermission.OWNER_WRITE);
        } catch (IOException e) {
            return false;
        }
    }

    private static void add(StringBuilder why, String problem) {
        why.append(why.isEmpty() ? "" : "; ").append(problem);
    }
}
