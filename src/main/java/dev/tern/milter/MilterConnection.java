package dev.tern.milter;

import dev.tern.config.MilterSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One connection to one milter: packets out and in (4-octet length, command octet, data), each wait bounded.
 * A blocking channel serves TCP and Unix sockets alike; a timer closes it when an answer is late, since a
 * channel's reads have no timeout of their own. Every failure is a {@link MilterException} naming what happened.
 */
final class MilterConnection implements AutoCloseable {

    /**
     * One daemon thread for every milter's deadlines: it only closes channels. Nearly every deadline is
     * cancelled (the answer came in time), and a cancelled one leaves the queue at once rather than when it
     * would have fired: at some thousand packets a second and content timeouts of minutes, the queue would
     * otherwise hold hundreds of thousands of dead deadlines.
     */
    private static final ScheduledExecutorService TIMER = timer();

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "milter-timeouts");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** A packet from the milter. */
    record Packet(char code, byte[] data) {
    }

    private final SocketChannel channel;
    private volatile boolean expired;

    private MilterConnection(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects within {@code timeout}. */
    static MilterConnection open(MilterSettings.Address address, Duration timeout) throws MilterException {
        SocketChannel channel = null;
        try {
            if (address.unix() != null) {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                MilterConnection connection = new MilterConnection(channel);
                ScheduledFuture<?> deadline = connection.arm(timeout);
                try {
                    channel.connect(UnixDomainSocketAddress.of(address.unix()));
                } finally {
                    deadline.cancel(false);
                }
                connection.checkExpired();
                return connection;
            }
            channel = SocketChannel.open();
            channel.socket().connect(new InetSocketAddress(address.host(), address.port()),
                    (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            channel.socket().setTcpNoDelay(true);
            return new MilterConnection(channel);
        } catch (MilterException e) {
            throw e;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new MilterException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
    }

    /** Sends one packet within {@code timeout}. */
    void send(char command, byte[] data, Duration timeout) throws MilterException {
        send(null, command, data, timeout);
    }

    /**
     * Sends SMFIC_MACRO with {@code macros} (unless null) and then the command, in one write: the milter reads
     * both at once, and neither side pays a wake-up for the macros alone (they get no reply).
     */
    void send(byte[] macros, char command, byte[] data, Duration timeout) throws MilterException {
        int macroLength = macros == null ? 0 : 5 + macros.length;
        ByteBuffer packet = ByteBuffer.allocate(macroLength + 5 + data.length);
        if (macros != null) {
            packet.putInt(macros.length + 1).put((byte) MilterProtocol.MACRO).put(macros);
        }
        packet.putInt(data.length + 1).put((byte) command).put(data).flip();
        ScheduledFuture<?> deadline = arm(timeout);
        try {
            while (packet.hasRemaining()) {
                channel.write(packet);
            }
        } catch (IOException e) {
            throw failure("sending '" + command + "'", e);
        } finally {
            deadline.cancel(false);
        }
    }

    /** Reads one packet, waiting at most {@code timeout}; refuses a length out of range as garbage. */
    Packet read(Duration timeout) throws MilterException {
        ScheduledFuture<?> deadline = arm(timeout);
        try {
            ByteBuffer head = ByteBuffer.allocate(4);
            fill(head);
            int length = head.flip().getInt();
            if (length < 1 || length > MilterProtocol.MAX_PACKET) {
                throw new MilterException("sent a packet length of " + Integer.toUnsignedString(length)
                        + " (garbage, not a milter reply)");
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            fill(body);
            byte[] data = new byte[length - 1];
            body.flip();
            char code = (char) (body.get() & 0xff);
            body.get(data);
            return new Packet(code, data);
        } catch (MilterException e) {
            throw e;
        } catch (IOException e) {
            throw failure("reading a reply", e);
        } finally {
            deadline.cancel(false);
        }
    }

    private void fill(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new MilterException("closed the connection");
            }
        }
    }

    private ScheduledFuture<?> arm(Duration timeout) {
        return TIMER.schedule(() -> {
            expired = true;
            closeQuietly(channel);
        }, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void checkExpired() throws MilterException {
        if (expired) {
            throw new MilterException("timed out");
        }
    }

    private MilterException failure(String doing, IOException e) {
        if (expired || e instanceof ClosedChannelException && expired) {
            return new MilterException("timed out " + doing, e);
        }
        return new MilterException("failed " + doing + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to say to it
            }
        }
    }

    /** NUL-terminated strings, one after the other, as the protocol's data. */
    static byte[] strings(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String v : values) {
            out.writeBytes(v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }
}
