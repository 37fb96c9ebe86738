package dev.tern.testmta;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A private Postfix instance from the system's {@code postfix} package, as the receiving MTA of delivery tests:
 * smtpd on 127.0.0.1 and a free port, STARTTLS with the certificate the test gives, mail for one domain stored in
 * Maildirs, its own log file; everything in a temporary directory that {@link #close()} removes. The system's own
 * instance is neither needed nor touched.
 *
 * <p>Postfix's master starts as root and its delivery agent stores mail as the {@code postfix} user, so this needs
 * root and the package installed ({@code .ci/run} installs it); without either, {@link #start} fails and says so.
 */
public final class PostfixPeer implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration GREETING_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_TRIES = 3; // another process may take the free port before master binds it

    private final PostfixFiles files;
    private final int port;
    private final long uid;
    private final long gid;
    private final Thread shutdownHook;
    private PostfixSettings settings;
    private boolean running;

    private PostfixPeer(PostfixFiles files, int port, long uid, long gid) {
        this.files = files;
        this.port = port;
        this.uid = uid;
        this.gid = gid;
        // A test that ends without close() (the JVM stopped under it) leaves no Postfix running behind it.
        this.shutdownHook = new Thread(this::closeQuietly, "postfix-peer-stop");
    }

    /** Starts an instance with {@code settings}; it answers 220 on {@link #port()} when this returns. */
    public static PostfixPeer start(PostfixSettings settings) throws IOException, InterruptedException {
        PostfixTools.require();
        IOException last = null;
        for (int i = 0; i < START_TRIES; i++) {
            Path root = Files.createTempDirectory("postfix-peer-");
            PostfixPeer peer = null;
            try {
                // Readable on the way down: virtual(8) runs as the postfix user to reach the Maildirs below.
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
                PostfixFiles files = new PostfixFiles(root);
                long[] owner = mailOwner(files.mail);
                peer = new PostfixPeer(files, freePort(), owner[0], owner[1]);
                peer.boot(settings);
                Runtime.getRuntime().addShutdownHook(peer.shutdownHook);
                return peer;
            } catch (IOException e) {
                last = e;
                if (peer != null) {
                    peer.stopQuietly();
                }
                PostfixTools.delete(root);
                if (!e.getMessage().contains("Address already in use")) {
                    throw e;
                }
            }
        }
        throw last;
    }

    /** The SMTP port on 127.0.0.1; it stays the same across {@link #restart}s. */
    public int port() {
        return port;
    }

    public PostfixSettings settings() {
        return settings;
    }

    /**
     * Stops the instance and starts it again with {@code newSettings} (another certificate, STARTTLS off, ...), on
     * the same port, with the same queue and the mail delivered so far.
     */
    public void restart(PostfixSettings newSettings) throws IOException, InterruptedException {
        stop();
        boot(newSettings);
    }

    /** Restarts with the same settings but another certificate chain and key (PEM files). */
    public void restartWithCertificate(Path chain, Path key) throws IOException, InterruptedException {
        restart(settings.withCertificate(chain, key));
    }

    /** The contents of the delivered messages, every mailbox, oldest first (Maildir {@code new/} and {@code cur/}). */
    public List<String> maildirMessages() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path file : maildirFiles()) {
            out.add(Files.readString(file, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The delivered messages once there are at least {@code count}, or those there are when the time is up. */
    public List<String> awaitMessages(int count, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<String> messages = maildirMessages();
            if (messages.size() >= count || Instant.now().isAfter(deadline)) {
                return messages;
            }
            Thread.sleep(50);
        }
    }

    /** The delivered files, oldest first. */
    public List<Path> maildirFiles() throws IOException {
        if (!Files.isDirectory(files.mail)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(files.mail)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> List.of("new", "cur").contains(p.getParent().getFileName().toString()))
                    .sorted(Comparator.comparing(PostfixPeer::modified).thenComparing(Path::toString))
                    .toList();
        }
    }

    /** Postfix's mail log so far, one entry a line ({@code ... postfix-peer/smtpd[pid]: QUEUEID: ...}). */
    public List<String> log() throws IOException {
        try {
            return Files.readAllLines(files.maillog, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** The first log line matching, waiting up to {@code timeout} for it. */
    public Optional<String> awaitLog(Predicate<String> matching, Duration timeout)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<String> found = log().stream().filter(matching).findFirst();
            if (found.isPresent() || Instant.now().isAfter(deadline)) {
                return found;
            }
            Thread.sleep(50);
        }
    }

    /** Stops Postfix and removes its directory, delivered mail included. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stop();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or has run; nothing to remove
            }
            PostfixTools.delete(files.root);
        }
    }

    private void boot(PostfixSettings newSettings) throws IOException, InterruptedException {
        files.write(newSettings, port, uid, gid);
        settings = newSettings;
        String conf = files.conf.toString();
        PostfixTools.run(files, COMMAND_TIMEOUT, "postmap", "-c", conf, "hash:" + files.mailboxMap());
        // check makes the queue's subdirectories with their owners and modes; start waits (master -w) until
        // master has bound its sockets, and fails if it could not.
        PostfixTools.run(files, COMMAND_TIMEOUT, "postfix", "-c", conf, "check");
        running = true;
        PostfixTools.run(files, COMMAND_TIMEOUT, "postfix", "-c", conf, "start");
        awaitGreeting();
    }

    /** The first smtpd process starts with the first connection: the instance is up once one says 220. */
    private void awaitGreeting() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(GREETING_TIMEOUT);
        String last = "nothing";
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                socket.setSoTimeout(5000);
                String greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                if (greeting != null && greeting.startsWith("220 ")) {
                    OutputStream out = socket.getOutputStream();
                    out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return;
                }
                last = String.valueOf(greeting);
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IOException("Postfix did not greet on 127.0.0.1:" + port + " (last: " + last + "); its log:\n"
                + String.join("\n", log()));
    }

    /** {@code postfix stop}, then waits until master and every process it started have exited. */
    private void stop() throws IOException, InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        Optional<ProcessHandle> master = PostfixTools.masterProcess(files);
        if (master.isEmpty()) {
            return; // it never started (a failed start), or it is gone
        }
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(master.get());
        master.get().descendants().forEach(processes::add);
        PostfixTools.run(files, COMMAND_TIMEOUT, "postfix", "-c", files.conf.toString(), "stop");
        PostfixTools.awaitExit(processes, STOP_TIMEOUT);
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (IOException | InterruptedException e) {
            // after a failed start: whatever could be stopped is stopped
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | InterruptedException e) {
            // at exit: whatever could be stopped and removed is
        }
    }

    /** Makes the Maildir base owned by the postfix user and group; returns their ids for virtual(8). */
    private static long[] mailOwner(Path mail) throws IOException {
        Files.createDirectories(mail);
        UserPrincipalLookupService users = mail.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(mail, PosixFileAttributeView.class);
        try {
            view.setOwner(users.lookupPrincipalByName("postfix"));
            view.setGroup(users.lookupPrincipalByGroupName("postfix"));
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException("no user or group 'postfix': is Debian's postfix package installed?", e);
        }
        return new long[] {((Number) Files.getAttribute(mail, "unix:uid")).longValue(),
                ((Number) Files.getAttribute(mail, "unix:gid")).longValue()};
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.MAX; // gone since the listing (moved from new/ to cur/): sorts last
        }
    }
}
