package dev.tern.smtp.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Everything the client says, given at once; everything the server says, kept. */
final class MemoryTransport implements Transport {

    private final InputStream input;
    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    boolean closed;
    /** Pretend the connection is already encrypted (the session's TLS-only rules apply as after STARTTLS). */
    boolean tls;

    MemoryTransport(byte[] clientBytes) {
        this(new ByteArrayInputStream(clientBytes));
    }

    /** The client's side as a stream of its own, e.g. one that gives a line per read as a waiting client does. */
    MemoryTransport(InputStream clientInput) {
        this.input = clientInput;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public String clientAddress() {
        return "192.0.2.1";
    }

    @Override
    public InetAddress clientInetAddress() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        // reads never block on an in-memory stream
    }

    @Override
    public dev.tern.tls.TlsSession tls() {
        return tls ? new dev.tern.tls.TlsSession("TLSv1.3", "TLS_AES_128_GCM_SHA256", null) : null;
    }

    @Override
    public void close() {
        closed = true;
    }

    String serverText() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
