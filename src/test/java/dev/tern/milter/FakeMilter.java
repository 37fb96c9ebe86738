package dev.tern.milter;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A scripted milter on a loopback port, for tests: it negotiates (asking for every step, with replies), answers
 * every command with SMFIR_CONTINUE unless the script says otherwise, and records what it was sent. A script
 * entry can also close the connection, send garbage, or never answer.
 */
public final class FakeMilter implements AutoCloseable {

    /** One packet, as sent or received. */
    public record Packet(char code, byte[] data) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        /** The NUL-terminated strings of the data. */
        public List<String> strings() {
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < data.length; i++) {
                if (data[i] == 0) {
                    out.add(new String(data, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return out;
        }
    }

    /** What to send back for a command: packets, or one of the hostile behaviours. */
    public sealed interface Answer {
        record Send(List<Packet> packets) implements Answer {
        }

        record Raw(byte[] bytes) implements Answer {
        }

        record Close() implements Answer {
        }

        record Hang() implements Answer {
        }
    }

    private final ServerSocket server;
    private final Map<Character, Answer> script = new ConcurrentHashMap<>();
    public final List<Packet> received = new CopyOnWriteArrayList<>();
    /** The protocol flags this milter asks for at negotiation (0: every step, every reply). */
    public volatile int protocol;
    private final CountDownLatch hung = new CountDownLatch(1);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Connections being served. */
    private final int[] active = new int[1];

    public FakeMilter() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(this::accept);
    }

    public String address() {
        return "inet:127.0.0.1:" + server.getLocalPort();
    }

    /** From now on, answers {@code command} so. */
    public FakeMilter on(char command, Answer answer) {
        script.put(command, answer);
        return this;
    }

    public FakeMilter on(char command, Packet... packets) {
        return on(command, new Answer.Send(List.of(packets)));
    }

    public static Packet packet(char code, String... strings) {
        return new Packet(code, MilterConnection.strings(strings));
    }

    public static Packet indexed(char code, int index, String... strings) {
        byte[] s = MilterConnection.strings(strings);
        return new Packet(code, ByteBuffer.allocate(4 + s.length).putInt(index).put(s).array());
    }

    /** The commands received, in order, as their codes (macros left out). */
    public String commands() {
        StringBuilder out = new StringBuilder();
        received.stream().filter(p -> p.code() != 'D').forEach(p -> out.append(p.code()));
        return out.toString();
    }

    public List<Packet> received(char code) {
        return received.stream().filter(p -> p.code() == code).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Waits (boundedly) until every connection the client opened has ended, so all it sent is recorded. */
    public void settled() {
        long end = System.nanoTime() + 10_000_000_000L;
        synchronized (active) {
            while (active[0] > 0 && System.nanoTime() < end) {
                try {
                    active.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void serve(Socket socket) {
        synchronized (active) {
            active[0]++;
        }
        try (socket) {
            talk(socket);
        } catch (IOException | InterruptedException e) {
            // the client went away
        } finally {
            synchronized (active) {
                active[0]--;
                active.notifyAll();
            }
        }
    }

    private void talk(Socket socket) throws IOException, InterruptedException {
        {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                int length = in.readInt();
                char code = (char) in.readUnsignedByte();
                byte[] data = in.readNBytes(length - 1);
                Packet p = new Packet(code, data);
                received.add(p);
                Answer answer = script.get(code);
                if (answer == null) {
                    answer = standard(p);
                }
                switch (answer) {
                    case Answer.Send s -> {
                        for (Packet reply : s.packets()) {
                            write(out, reply);
                        }
                    }
                    case Answer.Raw r -> out.write(r.bytes());
                    case Answer.Close c -> {
                        return;
                    }
                    case Answer.Hang h -> {
                        hung.await();
                        return;
                    }
                }
                out.flush();
                if (code == 'Q') {
                    return;
                }
            }
        }
    }

    private Answer standard(Packet p) {
        return switch (p.code()) {
            case 'O' -> {
                ByteBuffer offer = ByteBuffer.wrap(p.data());
                int version = offer.getInt();
                int actions = offer.getInt();
                yield new Answer.Send(List.of(new Packet('O',
                        ByteBuffer.allocate(12).putInt(version).putInt(actions).putInt(protocol).array())));
            }
            case 'D', 'A', 'Q' -> new Answer.Send(List.of());
            default -> new Answer.Send(List.of(new Packet('c', new byte[0])));
        };
    }

    private static void write(OutputStream out, Packet p) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(p.data().length + 1);
        data.write(p.code());
        data.write(p.data());
    }

    @Override
    public void close() throws IOException {
        hung.countDown();
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
