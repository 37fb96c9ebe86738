package dev.tern.testdns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Debian's unbound as a DNSSEC-validating recursive resolver on a loopback port, for tests: each zone it is
 * given is a {@code stub-zone} pointing at a {@link TestDnsServer#authoritative} server, and each signed zone's
 * key is a {@code trust-anchor}, so no root or parent zone is ever asked. Answers it validates carry the AD
 * bit; bogus ones become SERVFAIL; zones without an anchor are insecure.
 *
 * <p>unbound must be installed ({@code apt-get install unbound}); {@link #start} fails with that advice when it
 * is not, rather than letting a test pass without it. The configuration, the log and the pid file live in
 * the directory given; {@link #log} returns the log for failure messages.
 */
public final class Unbound implements AutoCloseable {

    /** Where Debian installs it. */
    public static final Path BINARY = Path.of("/usr/sbin/unbound");
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);
    /** Debian's AppArmor profile for unbound lets it read its configuration under /etc/unbound only. */
    private static final String APPARMOR_HINT = "\nWhere AppArmor enforces Debian's profile for unbound, it may"
            + " read only /etc/unbound: put the profile in complain mode (aa-complain /usr/sbin/unbound) for the tests.";

    private final Process process;
    private final int port;
    private final Path logFile;

    private Unbound(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts unbound in the foreground with its files in {@code dir}, serving {@code zones} from {@code server}.
     *
     * @throws IllegalStateException if unbound is not installed or does not answer within 30 seconds
     */
    public static Unbound start(Path dir, TestDnsServer server, SignedZone... zones)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's unbound (apt-get install unbound)"
                    + " to run the DNSSEC tests; .ci/run installs it");
        }
        int port = freePort();
        Path config = dir.resolve("unbound.conf");
        Files.writeString(config, config(dir, port, server.port(), zones), StandardCharsets.UTF_8);
        Path log = dir.resolve("unbound.log");
        Process process = new ProcessBuilder(BINARY.toString(), "-d", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Unbound unbound = new Unbound(process, port, log);
        try {
            unbound.awaitAnswers(zones.length == 0 ? "." : zones[0].origin());
        } catch (IllegalStateException | IOException e) {
            unbound.close();
            throw e;
        }
        return unbound;
    }

    /**
     * The configuration: one thread, loopback only, no privileges to drop, no chroot, no remote control, the
     * validator in front of the iterator, and the special-use {@code test.} name (RFC 6761 §6.2), which unbound
     * answers locally by default, handed to the stub zones instead.
     */
    static String config(Path dir, int port, int serverPort, SignedZone... zones) {
        StringBuilder out = new StringBuilder();
        out.append("server:\n")
                .append("  interface: 127.0.0.1@").append(port).append('\n')
                .append("  port: ").append(port).append('\n')
                .append("  do-ip6: no\n")
                .append("  do-not-query-localhost: no\n")
                .append("  access-control: 127.0.0.0/8 allow\n")
                .append("  username: \"\"\n")
                .append("  chroot: \"\"\n")
                .append("  directory: \"").append(dir).append("\"\n")
                .append("  pidfile: \"").append(dir.resolve("unbound.pid")).append("\"\n")
                .append("  use-syslog: no\n")
                .append("  logfile: \"\"\n")
                .append("  verbosity: 1\n")
                .append("  val-log-level: 2\n")
                .append("  num-threads: 1\n")
                .append("  outgoing-range: 64\n")
                .append("  module-config: \"validator iterator\"\n")
                .append("  local-zone: \"test.\" nodefault\n");
        for (SignedZone zone : zones) {
            if (zone.isSigned()) {
                out.append("  trust-anchor: \"").append(zone.trustAnchor()).append("\"\n");
            }
        }
        out.append("remote-control:\n  control-enable: no\n");
        for (SignedZone zone : zones) {
            out.append("stub-zone:\n")
                    .append("  name: \"").append(zone.origin()).append("\"\n")
                    .append("  stub-addr: 127.0.0.1@").append(serverPort).append('\n');
        }
        return out.toString();
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** What unbound has logged so far (validation failures at {@code val-log-level: 2}). */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Waits until unbound answers a query for the zone's SOA at all (any RCODE). */
    private void awaitAnswers(String name) throws IOException, InterruptedException {
        SimpleResolver probe = new SimpleResolver(address());
        probe.setTimeout(Duration.ofMillis(500));
        Instant deadline = Instant.now().plus(READY_WITHIN);
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.SOA, DClass.IN));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                String log = log();
                throw new IllegalStateException("unbound exited with " + process.exitValue() + ":\n" + log
                        + (log.contains("ermission denied") ? APPARMOR_HINT : ""));
            }
            try {
                probe.send(query);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("unbound did not answer within " + READY_WITHIN + ":\n" + log());
    }

    /** A port free for both UDP and TCP on loopback just now (unbound binds both). */
    private static int freePort() throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int attempt = 0; attempt < 20; attempt++) {
                ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(tcp);
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        tcp.getLocalPort()))) {
                    return udp.getLocalPort();
                } catch (IOException takenForUdp) {
                    // try another
                }
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        throw new IOException("no free loopback port for both UDP and TCP");
    }
}
