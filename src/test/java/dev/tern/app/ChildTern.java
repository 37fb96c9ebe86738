package dev.tern.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tern serve} in a child JVM, so a test can kill it with SIGKILL. Its output goes to a file (kept for a
 * failing test to show), from which the listener's port is read.
 */
final class ChildTern implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("smtp://127\\.0\\.0\\.1:(\\d+)");
    /** As ./tern serve runs: DKIM's RSA signing calls libcrypto, a restricted method JDK 24+ warns about. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private final Process process;
    private final Path output;

    private ChildTern(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static ChildTern start(Path config, Path data, Path output) throws IOException {
        return start(config, data, output, "-DTERN_TEST_LOG_LEVEL=info");
    }

    /** With these JVM options instead of the test log level. */
    static ChildTern start(Path config, Path data, Path output, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add(NATIVE_ACCESS);
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.tern.app.Main",
                "serve", "--config", config.toString(), "--data", data.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new ChildTern(p, output);
    }

    /** The port of the first listener, once the server prints it. */
    int awaitPort(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Matcher m = PORT.matcher(Files.readString(output, StandardCharsets.UTF_8));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new IOException("the server did not start; its output:\n" + Files.readString(output));
    }

    /** SIGTERM: the graceful stop. */
    void terminate() {
        process.destroy();
    }

    /** The exit status once the process has ended within {@code timeout}, or null if it still runs. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** The process id, for signals that {@link Process} has no method for (SIGHUP). */
    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
