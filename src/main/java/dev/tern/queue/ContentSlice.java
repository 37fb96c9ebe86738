package dev.tern.queue;

import dev.tern.delivery.Parcel;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The content part of a spool file, readable as often as needed: the header fields the session added
 * ({@link SpoolExtras#prefix}), then the {@code length} bytes from {@code start} without the omitted ranges
 * (offsets of the ranges count from {@code start}). A message of its own file starts at 0; one in a journal
 * segment ({@link SpoolJournal}) where its record's payload starts.
 */
record ContentSlice(Path file, long start, long length, SpoolExtras extras) implements Parcel.Content {

    ContentSlice(Path file, long length) {
        this(file, 0, length, SpoolExtras.NONE);
    }

    ContentSlice(Path file, long length, SpoolExtras extras) {
        this(file, 0, length, extras);
    }

    /** The file positioned at {@code start}: an open, a size and a seek (a skip through a stream costs two more). */
    @Override
    public InputStream open() throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            if (start > 0) {
                if (channel.size() < start) {
                    throw new IOException("spool file shorter than its content");
                }
                channel.position(start);
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return assemble(Channels.newInputStream(channel), length, extras);
    }

    /**
     * What a reader of the message sees, from {@code in} positioned at the content's first octet: the prefix,
     * then {@code length} octets without the omitted ranges. Closing the result closes {@code in}.
     */
    static InputStream assemble(InputStream in, long length, SpoolExtras extras) {
        if (extras.isEmpty()) {
            return new Limited(in, length);
        }
        List<InputStream> parts = new ArrayList<>();
        parts.add(new ByteArrayInputStream(extras.prefix()));
        long pos = 0;
        for (SpoolExtras.Range r : extras.omitted()) {
            parts.add(new Limited(in, r.offset() - pos, false));
            parts.add(new Skip(in, r.length()));
            pos = r.end();
        }
        parts.add(new Limited(in, length - pos));
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    @Override
    public long size() {
        return extras.prefix().length + length - extras.omittedLength();
    }

    /** Skips {@code n} octets of the shared stream when first read, then reads as empty. */
    private static final class Skip extends InputStream {
        private final InputStream in;
        private long n;

        Skip(InputStream in, long n) {
            this.in = in;
            this.n = n;
        }

        @Override
        public int read() throws IOException {
            skipNow();
            return -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            skipNow();
            return len == 0 ? 0 : -1;
        }

        private void skipNow() throws IOException {
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("spool file shorter than its content");
                    }
                    skipped = 1;
                }
                n -= skipped;
            }
        }
    }

    /** Stops at {@code remaining} bytes, so a reader never sees the envelope trailer. */
    private static final class Limited extends FilterInputStream {
        private long remaining;
        private final boolean closes;

        Limited(InputStream in, long remaining) {
            this(in, remaining, true);
        }

        /** @param closes whether closing this closes the file (the last part of a sequence does) */
        Limited(InputStream in, long remaining, boolean closes) {
            super(in);
            this.remaining = remaining;
            this.closes = closes;
        }

        @Override
        public void close() throws IOException {
            if (closes) {
                super.close();
            }
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return len == 0 ? 0 : -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
