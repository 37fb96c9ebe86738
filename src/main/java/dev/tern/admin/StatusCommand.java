package dev.tern.admin;

import dev.tern.control.ControlClient;
import dev.tern.control.ControlReply;
import dev.tern.control.ControlServer;
import dev.tern.control.ServerStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code tern status}: what the running server of a data directory says about itself through the control
 * socket (version, uptime, listeners, queue counts). Like {@code postfix status}, it exits 1 and says so when
 * no server runs there.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the running server's version, uptime, listeners and queue counts.")
final class StatusCommand extends DataSubcommand {

    /** A status is quick to make; a server that takes longer is in trouble, which the error says. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Override
    public Integer call() throws Exception {
        Path dataDir = data.config().dataDir();
        Optional<ControlReply> reply = ControlClient.send(dataDir, "STATUS", TIMEOUT);
        if (reply.isEmpty()) {
            throw new UserError("no server is running for " + dataDir + " (nothing answers on "
                    + ControlServer.socketPath(dataDir) + ")");
        }
        if (!reply.get().ok()) {
            throw new UserError(reply.get().text());
        }
        ServerStatus status;
        try {
            status = ServerStatus.parse(reply.get().text());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        print(spec.commandLine().getOut(), status);
        return 0;
    }

    static void print(PrintWriter out, ServerStatus s) {
        out.println("tern " + s.version() + " running since " + s.started() + " (up " + human(s.uptime()) + ")");
        out.println("listeners:");
        for (ServerStatus.Listener l : s.listeners()) {
            String address = l.address().indexOf(':') >= 0 ? "[" + l.address() + "]" : l.address();
            out.printf(Locale.ROOT, "  %-16s %-24s %s%n", l.name(), address + ":" + l.port(),
                    l.accepting() ? "accepting" : "NOT ACCEPTING");
        }
        var q = s.queue();
        out.printf(Locale.ROOT, "queue: %d message%s (%d active, %d deferred, %d held)%s%n", q.total(),
                q.total() == 1 ? "" : "s", q.active(), q.deferred(), q.held(),
                q.oldest() == null ? "" : ", oldest since " + q.oldest());
    }

    /** 3d 4h, 2h 5m, 5m 3s or 42s. */
    static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 86_400) {
            return s / 86_400 + "d " + s % 86_400 / 3_600 + "h";
        }
        if (s >= 3_600) {
            return s / 3_600 + "h " + s % 3_600 / 60 + "m";
        }
        return s >= 60 ? s / 60 + "m " + s % 60 + "s" : s + "s";
    }
}
