package dev.tern.policy.dkim;

/**
 * Streams a body through one canonicalization (RFC 6376 §3.4.3, §3.4.4) in any chunking: the output depends only
 * on the octets, not on how they were split. Trailing empty lines are held back until content follows them.
 *
 * <p>Most of a body is runs of octets that the canonicalization copies as they are (all but CR in simple; in
 * relaxed, all but CR and WSP, and a single SP between two such octets). Those are found with a tight loop and
 * copied in one piece; only line ends and white space go octet by octet. Octet by octet throughout, relaxed took
 * four times as long as the SHA-256 of the same octets.
 */
abstract sealed class BodyCanonicalizer {

    /** Where canonical octets go. */
    interface Sink {
        void write(byte[] b, int off, int len);
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private final Sink out;
    private final byte[] buffer = new byte[8192];
    private int used;
    /** A CR seen last, not yet known to start a CRLF. */
    private boolean cr;
    /** CRLFs seen since the last content; dropped if the body ends here. */
    private int pendingLines;
    /** Whether any content was written: an empty body canonicalizes differently. */
    protected boolean content;

    BodyCanonicalizer(Sink out) {
        this.out = out;
    }

    final void update(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (!cr) {
                int runEnd = copiedRun(b, i, end);
                if (runEnd > i) {
                    octet(b[i]); // what comes before content (held-back lines, a pending SP), then the first octet
                    emit(b, i + 1, runEnd - i - 1);
                    i = runEnd - 1;
                    continue;
                }
            }
            int c = b[i];
            if (cr) {
                cr = false;
                if (c == '\n') {
                    endOfLine();
                    pendingLines++;
                    continue;
                }
                octet('\r'); // a lone CR is an ordinary octet
            }
            if (c == '\r') {
                cr = true;
            } else {
                octet(c);
            }
        }
    }

    /** Ends the body and flushes the canonical octets. */
    final void finish() {
        if (cr) {
            cr = false;
            octet('\r');
        }
        endOfLine();
        finalCrlf();
        flush();
    }

    /**
     * Where the run of octets starting at {@code from} that this canonicalization copies unchanged ends (at most
     * {@code end}); {@code from} when the octet there needs a closer look. Not called while a CR is pending.
     */
    protected abstract int copiedRun(byte[] b, int from, int end);

    protected abstract void octet(int c);

    protected abstract void endOfLine();

    protected abstract void finalCrlf();

    /** Content is coming: first the CRLFs held back before it. */
    protected final void beforeContent() {
        for (; pendingLines > 0; pendingLines--) {
            emit('\r');
            emit('\n');
        }
        content = true;
    }

    protected final void emit(int c) {
        if (used == buffer.length) {
            flush();
        }
        buffer[used++] = (byte) c;
    }

    protected final void emit(byte[] b, int off, int len) {
        if (len > buffer.length - used) {
            flush();
            if (len >= buffer.length) {
                out.write(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buffer, used, len);
        used += len;
    }

    protected final void emitCrlf() {
        emit(CRLF[0]);
        emit(CRLF[1]);
    }

    private void flush() {
        if (used > 0) {
            out.write(buffer, 0, used);
            used = 0;
        }
    }

    /** §3.4.3: unchanged, except that empty lines at the end are removed and a body ends with one CRLF. */
    static final class Simple extends BodyCanonicalizer {
        Simple(Sink out) {
            super(out);
        }

        /** Everything up to a CR, which may start a line end. */
        @Override
        protected int copiedRun(byte[] b, int from, int end) {
            int i = from;
            while (i < end && b[i] != '\r') {
                i++;
            }
            return i;
        }

        @Override
        protected void octet(int c) {
            beforeContent();
            emit(c);
        }

        @Override
        protected void endOfLine() {
        }

        /** "If there is no body or no CRLFs at the end of the body, a CRLF is added": always one CRLF. */
        @Override
        protected void finalCrlf() {
            emitCrlf();
        }
    }

    /**
     * §3.4.4: WSP at the end of a line is ignored, other WSP runs become one SP, empty lines at the end are
     * ignored; a non-empty body ends with CRLF, an empty one stays empty.
     */
    static final class Relaxed extends BodyCanonicalizer {
        private boolean wsp;

        Relaxed(Sink out) {
            super(out);
        }

        /**
         * Octets other than CR, SP and HTAB, and a single SP between two of them (already canonical). A SP at the
         * start of the run or at the end of the chunk is left to {@link #octet}: what follows it is not known yet.
         */
        @Override
        protected int copiedRun(byte[] b, int from, int end) {
            int i = from;
            while (i < end) {
                int c = b[i] & 0xff;
                if (c > ' ') {
                    i++; // most octets of a text: one comparison
                    continue;
                }
                if (c == '\r' || c == '\t') {
                    break;
                }
                if (c == ' ') {
                    if (i == from || i + 1 >= end || !copied(b[i + 1])) {
                        break;
                    }
                    i++; // the SP, then the octet after it
                }
                i++;
            }
            return i;
        }

        private static boolean copied(byte c) {
            return c != '\r' && c != ' ' && c != '\t';
        }

        @Override
        protected void octet(int c) {
            if (c == ' ' || c == '\t') {
                wsp = true;
                return;
            }
            beforeContent();
            if (wsp) {
                emit(' ');
                wsp = false;
            }
            emit(c);
        }

        @Override
        protected void endOfLine() {
            wsp = false;
        }

        @Override
        protected void finalCrlf() {
            if (content) {
                emitCrlf();
            }
        }
    }
}
