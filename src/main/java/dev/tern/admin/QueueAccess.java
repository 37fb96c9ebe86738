package dev.tern.admin;

import dev.tern.config.ConfigException;
import dev.tern.config.TernConfig;
import dev.tern.control.ControlClient;
import dev.tern.control.ControlCommands;
import dev.tern.control.ControlReply;
import dev.tern.control.ControlServer;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.queue.FileSpool;
import dev.tern.queue.OfflineQueue;
import dev.tern.queue.SpoolLock;
import dev.tern.queue.dsn.DsnSink;
import dev.tern.store.FileDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * How the CLI reaches the queue: through the running server's control socket when one answers, else on the
 * spool files directly, under the {@link SpoolLock} so that no server can start meanwhile.
 */
final class QueueAccess {

    private final DataOptions options;
    private final TernConfig config;

    QueueAccess(DataOptions options) throws ConfigException {
        this.options = options;
        this.config = options.config();
    }

    Path dataDir() {
        return config.dataDir();
    }

    TernConfig config() {
        return config;
    }

    /** The first local domain: postmaster's, and the default sender's domain. */
    String firstDomain() {
        return config.domains().isEmpty() ? "localhost" : config.domains().get(0);
    }

    /** The config file's hostname, or this machine's name as {@code tern serve} would use without a file. */
    String hostname() {
        if (options.configFile != null) {
            return config.hostname();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Carries out a control request on the server, or on the stopped server's spool; throws on refusal. */
    String execute(String request) throws IOException, UserError, ConfigException {
        Optional<ControlReply> reply = ControlClient.send(dataDir(), request);
        ControlReply r = reply.isPresent() ? reply.get() : offline(request);
        if (!r.ok()) {
            throw new UserError(r.text());
        }
        return r.text();
    }

    private ControlReply offline(String request) throws IOException, UserError, ConfigException {
        Optional<SpoolLock> lock = SpoolLock.tryAcquire(dataDir());
        if (lock.isEmpty()) {
            throw new UserError("a server holds the queue of " + dataDir() + " but does not answer on "
                    + ControlServer.socketPath(dataDir()));
        }
        try (SpoolLock held = lock.get()) {
            FileSpool spool = FileSpool.offline(dataDir());
            FileDirectory directory = options.directory();
            Clock clock = Clock.systemUTC();
            DsnSink bounces = new DsnSink(spool, hostname(), new Address("postmaster", Domain.of(firstDomain())),
                    directory::isLocalDomain, config.bounce(), clock);
            return ControlCommands.execute(request, new OfflineQueue(spool, bounces, config.queue(), clock));
        }
    }
}
