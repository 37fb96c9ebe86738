package dev.tern.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The client side of the control socket, for {@code tern queue} and {@code tern sendmail}. */
public final class ControlClient {

    /** An operator command may wait for an attempt of the message to end (a slow remote server). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private ControlClient() {
    }

    /**
     * Sends one request to the server of {@code dataDir}.
     *
     * @return the reply, or empty when no server listens there (no socket file, or a stale one)
     * @throws IOException when a server was reached but the exchange failed or timed out
     */
    public static Optional<ControlReply> send(Path dataDir, String request, Duration timeout) throws IOException {
        Path socket = ControlServer.socketPath(dataDir);
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (ConnectException refused) {
            channel.close();
            return Optional.empty(); // the file of a server that is gone
        } catch (SocketException e) {
            channel.close();
            if (!Files.exists(socket)) {
                return Optional.empty(); // removed by a server stopping meanwhile
            }
            throw new IOException("cannot reach the server through " + socket + ": " + e.getMessage(), e);
        }
        FutureTask<String> exchange = new FutureTask<>(() -> exchange(channel, request));
        Thread.ofVirtual().name("control-request").start(exchange);
        try (channel) {
            return Optional.of(ControlReply.parse(exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS)));
        } catch (TimeoutException e) {
            throw new IOException("the server did not answer within " + timeout.toSeconds() + "s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    public static Optional<ControlReply> send(Path dataDir, String request) throws IOException {
        return send(dataDir, request, DEFAULT_TIMEOUT);
    }

    private static String exchange(SocketChannel channel, String request) throws IOException {
        OutputStream out = Channels.newOutputStream(channel);
        out.write((ControlCommands.oneLine(request) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8));
        return in.readLine();
    }
}
