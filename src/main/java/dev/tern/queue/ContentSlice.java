package dev.tern.queue;

import dev.tern.delivery.Parcel;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The content part of a spool file, readable as often as needed: the header fields the session added
 * ({@link SpoolExtras#prefix}), then the file's first {@code length} bytes without the omitted ranges.
 */
record ContentSlice(Path file, long length, SpoolExtras extras) implements Parcel.Content {

    ContentSlice(Path file, long length) {
        this(file, length, SpoolExtras.NONE);
    }

    @Override
    public InputStream open() throws IOException {
        if (extras.isEmpty()) {
            return new Limited(Files.newInputStream(file), length);
        }
        List<InputStream> parts = new ArrayList<>();
        parts.add(new ByteArrayInputStream(extras.prefix()));
        InputStream in = Files.newInputStream(file);
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
