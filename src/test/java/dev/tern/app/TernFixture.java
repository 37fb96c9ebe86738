package dev.tern.app;

import dev.tern.config.ListenerSettings;
import dev.tern.config.SmtpLimits;
import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A real Tern on an ephemeral loopback port with its own data directory, for integration tests. */
final class TernFixture implements AutoCloseable {

    final Path dataDir;
    final Tern tern;

    private TernFixture(Path dataDir, Tern tern) {
        this.dataDir = dataDir;
        this.tern = tern;
    }

    static TernConfig config(Path dataDir) {
        return TernConfig.defaults("mx.tern.test", dataDir)
                .withListeners(List.of(new ListenerSettings("mx", ListenerSettings.Role.MX, "127.0.0.1", 0)));
    }

    /** Starts Tern with users alice@localhost and bob@example.test. */
    static TernFixture start(Path dataDir, SmtpLimits limits) throws Exception {
        TernConfig config = config(dataDir).withLimits(limits);
        FileDirectory admin = new FileDirectory(dataDir, config.domains());
        admin.addDomain("example.test");
        admin.addUser("alice@localhost", "unused");
        admin.addUser("bob@example.test", "unused");
        admin.addUser("jörg@example.test", "unused");
        return new TernFixture(dataDir, Tern.start(config));
    }

    int port() {
        return tern.port("mx");
    }

    /** The files in a user's {@code new/} folder, waiting up to {@code timeout} for {@code count} of them. */
    List<Path> awaitMessages(String domain, String local, int count, Duration timeout) throws Exception {
        Path newDir = dataDir.resolve("mail").resolve(domain).resolve(local).resolve("new");
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Path> files = list(newDir);
            if (files.size() >= count || Instant.now().isAfter(deadline)) {
                return files;
            }
            Thread.sleep(20);
        }
    }

    /**
     * The files of a Maildir directory, oldest first. Not by name alone: the microseconds in a Maildir name are not
     * zero-padded ({@code 1796646305.M72011P...} came before {@code 1796646305.M144020P...}), so two deliveries in
     * one second can sort the wrong way round.
     */
    static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted(Comparator.comparing((Path p) -> deliveryOrder(p.getFileName().toString()))
                    .thenComparing(Path::toString)).toList();
        }
    }

    private static final Pattern MAILDIR_NAME = Pattern.compile("(\\d+)\\.M(\\d+)P\\d+Q(\\d+)\\..*");

    /** Seconds, microseconds and counter of a Maildir file name, as one sortable string. */
    private static String deliveryOrder(String name) {
        Matcher m = MAILDIR_NAME.matcher(name);
        if (!m.matches()) {
            return name;
        }
        return String.format("%020d.%06d.%020d", Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)));
    }

    @Override
    public void close() {
        tern.close();
    }
}
