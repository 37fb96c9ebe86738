package dev.tern.delivery.lmtp;

import dev.tern.smtp.protocol.DotStuffer;
import dev.tern.smtp.protocol.Reply;
import dev.tern.smtp.protocol.ReplyReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One LMTP session with the mailbox server: the greeting and {@code LHLO} (RFC 2033 §4.1), then commands, the
 * replies read by the one {@link ReplyReader}, and the message sent through the one {@link DotStuffer}.
 *
 * <p>Every blocking step runs under a deadline. A channel of a Unix domain socket has no read timeout of its
 * own (it has no {@code Socket} with {@code SO_TIMEOUT}), so a timer closes the channel when the deadline
 * passes and the blocked read or write ends with an error; the same serves TCP, so both behave alike.
 */
final class LmtpConnection implements AutoCloseable {

    /** Waits at most this for the reply to QUIT: the transaction is over, nothing hangs on it. */
    private static final Duration QUIT_WAIT = Duration.ofSeconds(5);
    /** The message goes out in blocks of this size, each under the command timeout. */
    private static final int BLOCK = 64 * 1024;

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lmtp-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final SocketChannel channel;
    private final String where;
    private final ReplyReader replies;
    private final OutputStream out;
    private volatile boolean timedOut;
    private boolean pipelining;
    private boolean smtputf8;
    private boolean eightBitMime;

    private LmtpConnection(SocketChannel channel, String where) {
        this.channel = channel;
        this.where = where;
        this.replies = new ReplyReader(Channels.newInputStream(channel));
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 16 * 1024);
    }

    /** A step that may block on the channel. */
    @FunctionalInterface
    private interface Step<T> {
        T run() throws IOException;
    }

    /**
     * Connects, reads the 220 greeting and says {@code LHLO}; the connection is ready for a transaction.
     *
     * @throws IOException the server cannot be reached, does not greet, or refuses LHLO
     */
    static LmtpConnection open(LmtpTarget target, String lhloName, Duration connectTimeout, Duration commandTimeout)
            throws IOException {
        SocketChannel channel = target.open();
        LmtpConnection c = new LmtpConnection(channel, target.toString());
        try {
            c.within(connectTimeout, "connecting", () -> channel.connect(target.address()));
            Reply greeting = c.read(connectTimeout, "the greeting");
            if (greeting.code() != 220) {
                throw new LmtpException("greeted with " + greeting.summary());
            }
            c.send("LHLO " + lhloName); // RFC 2033 §4.1: LHLO, never HELO or EHLO
            c.flush(commandTimeout);
            Reply lhlo = c.read(commandTimeout, "LHLO");
            if (lhlo.code() != 250) {
                throw new LmtpException("LHLO refused: " + lhlo.summary());
            }
            c.capabilities(lhlo);
            return c;
        } catch (IOException | RuntimeException e) {
            c.abort();
            throw e;
        }
    }

    /** The extensions of the LHLO reply that change what we send (RFC 2920, RFC 6531, RFC 6152). */
    private void capabilities(Reply lhlo) {
        for (int i = 1; i < lhlo.lines().size(); i++) {
            String keyword = lhlo.lines().get(i).strip().split(" ", 2)[0].toUpperCase(Locale.ROOT);
            switch (keyword) {
                case "PIPELINING" -> pipelining = true;
                case "SMTPUTF8" -> smtputf8 = true;
                case "8BITMIME" -> eightBitMime = true;
                default -> { }
            }
        }
    }

    boolean pipelining() {
        return pipelining;
    }

    boolean smtputf8() {
        return smtputf8;
    }

    boolean eightBitMime() {
        return eightBitMime;
    }

    String where() {
        return where;
    }

    /** Buffers one command line; {@link #flush} sends what is buffered. */
    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void flush(Duration timeout) throws IOException {
        within(timeout, "sending", () -> {
            out.flush();
            return null;
        });
    }

    /** Sends one command and reads its reply. */
    Reply command(String line, Duration timeout) throws IOException {
        send(line);
        flush(timeout);
        return read(timeout, line.split(" ", 2)[0]);
    }

    /** The next reply, within {@code timeout}; {@code what} names the step for the error. */
    Reply read(Duration timeout, String what) throws IOException {
        return within(timeout, "waiting for the reply to " + what, replies::read);
    }

    /**
     * Sends the message after a 354: line ends made CRLF and leading dots doubled by {@link DotStuffer}, then
     * the terminating dot. Each block must leave within {@code blockTimeout}.
     */
    void sendMessage(InputStream content, Duration blockTimeout) throws IOException {
        DotStuffer stuffer = new DotStuffer(out);
        byte[] block = new byte[BLOCK];
        int n;
        while ((n = content.read(block)) > 0) {
            int length = n;
            within(blockTimeout, "sending the message", () -> {
                stuffer.write(block, 0, length);
                return null;
            });
        }
        within(blockTimeout, "sending the end of the message", () -> {
            stuffer.finish();
            return null;
        });
    }

    private <T> T within(Duration timeout, String what, Step<T> step) throws IOException {
        ScheduledFuture<?> alarm = TIMER.schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return step.run();
        } catch (IOException e) {
            if (timedOut) {
                throw new LmtpException("no progress within " + timeout.toSeconds() + "s " + what, e);
            }
            throw e;
        } finally {
            alarm.cancel(false);
        }
    }

    private void expire() {
        timedOut = true;
        abort();
    }

    /** Closes the channel without a word (after a failure, or when the deadline passed). */
    void abort() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }

    /** Says QUIT (RFC 5321 §4.1.1.10), waits briefly for the 221, and closes; never throws. */
    @Override
    public void close() {
        if (channel.isOpen() && !timedOut) {
            try {
                command("QUIT", QUIT_WAIT);
            } catch (IOException | RuntimeException e) {
                // the transaction is over; a server that leaves without its 221 loses nothing of ours
            }
        }
        abort();
    }

    /** The server broke the protocol, refused to start, or did not answer in time. */
    static final class LmtpException extends IOException {
        LmtpException(String message) {
            super(message);
        }

        LmtpException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
