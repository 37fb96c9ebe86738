package dev.tern.testmta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Postfix's commands run for a {@link PostfixPeer}, and the checks that they can run here at all. */
final class PostfixTools {

    /** Debian installs Postfix's commands in /usr/sbin, often not on a user's PATH. */
    private static final Path SBIN = Path.of("/usr/sbin");
    private static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    private PostfixTools() {
    }

    /** Fails, saying what to do, unless Postfix is installed and this runs as root. */
    static void require() throws IOException {
        if (!Files.isExecutable(SBIN.resolve("postfix")) || !Files.isExecutable(SBIN.resolve("postmap"))) {
            throw new IllegalStateException("Postfix is not installed, and the delivery tests use it as the far "
                    + "side: install Debian's postfix package (as root: DEBIAN_FRONTEND=noninteractive apt-get "
                    + "install -y postfix; .ci/run does this)");
        }
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (((Number) uid).longValue() != 0) {
            throw new IllegalStateException("a private Postfix instance needs root (its master process starts as "
                    + "root, its delivery agent switches to the postfix user); this runs as uid " + uid);
        }
    }

    /** Runs one of Postfix's commands; a failure says what it printed and the end of the instance's log. */
    static String run(PostfixFiles files, Duration timeout, String command, String... args)
            throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        line.add(SBIN.resolve(command).toString());
        line.addAll(List.of(args));
        // Into a file, not a pipe: the master daemon that "postfix start" leaves running could hold a pipe open.
        Path output = files.root.resolve("command.out");
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(Path.of("/dev/null").toFile());
        builder.environment().put("PATH", PATH); // postfix-script calls the other commands by name
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", line) + " did not finish within " + timeout);
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", line) + " exited with " + process.exitValue() + ": " + printed
                    + "\nthe end of its log:\n" + String.join("\n", tail(files.maillog, 30)));
        }
        return printed;
    }

    /**
     * The running master process, by the pid file it keeps in the queue directory; a stale file naming a pid that
     * some other program has since been given names nothing.
     */
    static Optional<ProcessHandle> masterProcess(PostfixFiles files) throws IOException {
        try {
            String pid = Files.readString(files.masterPid(), StandardCharsets.US_ASCII).strip();
            if (pid.isEmpty()) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/master")).orElse(true));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Waits until every process has exited; any left when the time is up is killed, so no Postfix process of a
     * test outlives it and writes into a directory being removed.
     */
    static void awaitExit(List<ProcessHandle> processes, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        for (ProcessHandle p : processes) {
            while (p.isAlive() && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
        }
        for (ProcessHandle p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** Removes a directory tree (the queue's files belong to the postfix user; root removes them all the same). */
    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<String> tail(Path file, int lines) throws IOException {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (NoSuchFileException e) {
            return List.of("(no log)");
        }
    }
}
