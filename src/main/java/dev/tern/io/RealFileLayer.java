package dev.tern.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/** {@link FileLayer} on the real file system: one {@link FileChannel} per file, no hidden buffering. */
public final class RealFileLayer implements FileLayer {

    public static final RealFileLayer INSTANCE = new RealFileLayer();

    private RealFileLayer() {
    }

    @Override
    public SyncableOutputStream create(Path file) throws IOException {
        // Owner-only from the start (PrivateFiles): mail in the spool is nobody else's business.
        return new ChannelOutput(FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PrivateFiles.fileAttributes(file)));
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        AtomicFiles.moveAtomically(from, to);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        AtomicFiles.syncDirectory(dir);
    }

    @Override
    public boolean delete(Path file) throws IOException {
        return Files.deleteIfExists(file);
    }

    /** Writes straight to the channel; callers wrap it in a buffer sized for their traffic. */
    private static final class ChannelOutput extends SyncableOutputStream {
        private final FileChannel channel;
        private long size;

        ChannelOutput(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            size += len;
        }

        @Override
        public void sync() throws IOException {
            channel.force(true);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
