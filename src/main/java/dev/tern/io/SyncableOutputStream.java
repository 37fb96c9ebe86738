package dev.tern.io;

import java.io.IOException;
import java.io.OutputStream;

/** An output stream to a file that can be forced to stable storage (fsync) before it is closed. */
public abstract class SyncableOutputStream extends OutputStream {

    /** Flushes any buffer and forces the file's content and metadata to the device ({@code fsync}). */
    public abstract void sync() throws IOException;

    /** Bytes written so far. */
    public abstract long size();
}
