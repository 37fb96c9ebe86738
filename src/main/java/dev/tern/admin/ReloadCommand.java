package dev.tern.admin;

import dev.tern.control.ControlClient;
import dev.tern.control.ControlReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tern reload}: the running server reads its configuration file again, as on SIGHUP, and says what
 * changed and what needs a restart; a file it refuses is named with the key and the reason, and the server
 * keeps running with the configuration it had. The server reads the file it was started with; this command's
 * {@code --config} and {@code --data} only find the server's data directory (its control socket).
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Make the running server read its configuration file again (as SIGHUP does).",
                "Prints what changed and what needs a restart; a refused file leaves the running configuration."})
final class ReloadCommand implements Callable<Integer> {

    /** Building the new configuration loads TLS files and DKIM keys; a minute is plenty. */
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    @Spec
    CommandSpec spec;
    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        Path dataDir = data.config().dataDir();
        Optional<ControlReply> reply = ControlClient.send(dataDir, "RELOAD", TIMEOUT);
        if (reply.isEmpty()) {
            throw new UserError("no server is running with the data directory " + dataDir);
        }
        if (!reply.get().ok()) {
            throw new UserError(reply.get().text());
        }
        spec.commandLine().getOut().println(reply.get().text());
        return 0;
    }
}
