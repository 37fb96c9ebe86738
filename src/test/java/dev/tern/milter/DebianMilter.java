package dev.tern.milter;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real milter from Debian (rspamd, opendkim), started by a test on a free loopback port with a configuration
 * from src/test/resources, and stopped after it. A missing program is a test failure naming the package: CI
 * installs it (.ci/run), so a skip would hide a broken setup.
 */
public final class DebianMilter implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private DebianMilter(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public String address() {
        return "inet:127.0.0.1:" + port;
    }

    /** A free loopback port: bound, read, released (the milter binds it next). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /** The program's path, or an AssertionError that says which package to install. */
    public static String program(String name, String debianPackage) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(name + " is not installed: this test needs the Debian package " + debianPackage
                + " (apt-get install " + debianPackage + "; .ci/run installs it)");
    }

    /**
     * Copies the resource files under {@code resourceDir} into {@code dir}, replacing {@code @KEY@} by the values
     * given, and returns the copies' directory.
     */
    public static Path render(String resourceDir, List<String> files, Path dir, Map<String, String> values)
            throws IOException {
        for (String file : files) {
            String text;
            try (InputStream in = DebianMilter.class.getResourceAsStream(resourceDir + "/" + file)) {
                if (in == null) {
                    throw new IOException("no resource " + resourceDir + "/" + file);
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (Map.Entry<String, String> e : values.entrySet()) {
                text = text.replace("@" + e.getKey() + "@", e.getValue());
            }
            Path target = dir.resolve(file);
            Files.createDirectories(target.getParent());
            Files.writeString(target, text);
        }
        return dir;
    }

    /** Starts {@code command}, output to {@code log}, and waits (at most {@code seconds}) until it listens. */
    public static DebianMilter start(List<String> command, int port, Path log, int seconds)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        DebianMilter milter = new DebianMilter(process, port, log);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError(command.get(0) + " exited with " + process.exitValue() + ":\n" + milter.output());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return milter;
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        milter.close();
        throw new AssertionError(command.get(0) + " did not listen on port " + port + " within " + seconds + " s:\n"
                + milter.output());
    }

    /** What the program printed (for failure messages). */
    public String output() {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
