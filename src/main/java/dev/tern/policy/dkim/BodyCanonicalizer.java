package dev.tern.policy.dkim;

/**
 * Streams a body through one canonicalization (RFC 6376 §3.4.3, §3.4.4) in any chunking: the output depends only
 * on the octets, not on how they were split. Trailing empty lines are held back until content follows them.
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
        for (int i = off; i < off + len; i++) {
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
