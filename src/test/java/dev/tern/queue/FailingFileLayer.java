package dev.tern.queue;

import dev.tern.io.FileLayer;
import dev.tern.io.RealFileLayer;
import dev.tern.io.SyncableOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real file layer with faults on demand: a write past a byte count, a file fsync, a rename or a directory
 * fsync throws. It can also hold the first directory fsync until released, to line up a group commit. It
 * records the name of every file it is asked to delete, whether or not it existed (each is an unlink).
 */
public final class FailingFileLayer implements FileLayer {

    public enum Fault { NONE, WRITE, FILE_SYNC, RENAME, DIRECTORY_SYNC }

    public volatile Fault fault = Fault.NONE;
    public volatile long failWriteAfter = 100_000;
    final AtomicInteger directorySyncs = new AtomicInteger();
    volatile CountDownLatch holdFirstDirectorySync;
    final CountDownLatch directorySyncEntered = new CountDownLatch(1);
    final List<String> deletions = new CopyOnWriteArrayList<>();

    @Override
    public SyncableOutputStream create(Path file) throws IOException {
        SyncableOutputStream real = RealFileLayer.INSTANCE.create(file);
        return new SyncableOutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (fault == Fault.WRITE && real.size() + len > failWriteAfter) {
                    throw new IOException("No space left on device");
                }
                real.write(b, off, len);
            }

            @Override
            public void sync() throws IOException {
                if (fault == Fault.FILE_SYNC) {
                    throw new IOException("Input/output error");
                }
                real.sync();
            }

            @Override
            public long size() {
                return real.size();
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        if (fault == Fault.RENAME) {
            throw new IOException("rename refused");
        }
        RealFileLayer.INSTANCE.rename(from, to);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        directorySyncs.incrementAndGet();
        CountDownLatch hold = holdFirstDirectorySync;
        if (hold != null) {
            holdFirstDirectorySync = null;
            directorySyncEntered.countDown();
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fault == Fault.DIRECTORY_SYNC) {
            throw new IOException("Input/output error");
        }
        RealFileLayer.INSTANCE.syncDirectory(dir);
    }

    @Override
    public boolean delete(Path file) throws IOException {
        deletions.add(file.getFileName().toString());
        return RealFileLayer.INSTANCE.delete(file);
    }
}
