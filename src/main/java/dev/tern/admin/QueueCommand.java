package dev.tern.admin;

import dev.tern.control.ControlCommands;
import dev.tern.mail.QueueId;
import dev.tern.queue.DeliveryState;
import dev.tern.queue.FileSpool;
import dev.tern.queue.QueuedMessage;
import dev.tern.queue.StoredMessage;
import dev.tern.queue.dsn.DsnComposer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern queue list|show|flush|delete|hold|release|bounce}. Reading works from the spool files whether or
 * not a server runs; changes go through the running server's control socket, or straight to the spool files
 * of a stopped one ({@link QueueAccess}).
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Look at and manage the mail queue (works with or without a running server).",
        subcommands = {QueueCommand.ListQueue.class, QueueCommand.Show.class, QueueCommand.Flush.class,
                QueueCommand.Delete.class, QueueCommand.HoldMessage.class, QueueCommand.Release.class,
                QueueCommand.Bounce.class})
final class QueueCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ParameterException {
        throw TernCommand.missingSubcommand(spec);
    }

    static QueueId id(String text) throws UserError {
        String upper = text.toUpperCase(Locale.ROOT);
        if (!QueueId.isValid(upper)) {
            throw new UserError("not a queue id: " + text);
        }
        return new QueueId(upper);
    }

    /** A command that changes the queue: one control request, its reply printed. */
    abstract static class Change implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        DataOptions data;

        abstract String request() throws UserError;

        @Override
        public Integer call() throws Exception {
            String reply = new QueueAccess(data).execute(request());
            spec.commandLine().getOut().println(reply);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List queued messages: id, age, size, sender, each recipient's state and last error, "
                    + "next attempt.")
    static final class ListQueue extends DataSubcommand {

        @Override
        public Integer call() throws Exception {
            QueueAccess access = new QueueAccess(data);
            var out = spec.commandLine().getOut();
            if (!Files.isDirectory(access.dataDir().resolve("spool"))) {
                out.println("queue is empty");
                return 0;
            }
            QueueFormat.list(out, FileSpool.shared(access.dataDir()).list(), Instant.now());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one message: envelope, each recipient's state, and the message headers.")
    static final class Show extends DataSubcommand {
        @Parameters(paramLabel = "ID", description = "The queue id.")
        String id;

        @Override
        public Integer call() throws Exception {
            QueueId queueId = id(id);
            FileSpool spool = FileSpool.shared(new QueueAccess(data).dataDir());
            try {
                QueuedMessage m = spool.describe(queueId);
                StoredMessage stored = spool.load(queueId);
                DeliveryState state = spool.loadState(queueId)
                        .orElse(DeliveryState.initial(stored.envelope().recipients().size()));
                String headers = new String(DsnComposer.headerSection(stored, 64 * 1024), StandardCharsets.UTF_8);
                QueueFormat.show(spec.commandLine().getOut(), m, stored.envelope(), state, headers, Instant.now());
            } catch (NoSuchFileException e) {
                throw new UserError("no such message: " + queueId);
            }
            return 0;
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true,
            description = "Attempt delivery now: every waiting message, or the one given (needs a running server).")
    static final class Flush extends Change {
        @Parameters(paramLabel = "ID", arity = "0..1", description = "Only this message.")
        String id;

        @Override
        String request() throws UserError {
            return id == null ? "FLUSH" : ControlCommands.request("FLUSH", id(id).value());
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a message (or every message) from the queue; nobody is told.")
    static final class Delete extends Change {
        @ArgGroup(multiplicity = "1")
        Target target;

        static final class Target {
            @Parameters(paramLabel = "ID", description = "The message to delete.")
            String id;
            @Option(names = "--all", description = "Delete every queued message.")
            boolean all;
        }

        @Override
        String request() throws UserError {
            return target.all ? "DELETE-ALL" : ControlCommands.request("DELETE", id(target.id).value());
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true,
            description = "Hold a message: it stays queued but is not attempted until released (survives restarts).")
    static final class HoldMessage extends Change {
        @Parameters(index = "0", paramLabel = "ID", description = "The message to hold.")
        String id;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for whoever looks at the queue.")
        String reason;

        @Override
        String request() throws UserError {
            return ControlCommands.request("HOLD", id(id).value(), reason == null ? "held by the operator" : reason);
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = "Release a held message; a running server attempts it at once.")
    static final class Release extends Change {
        @Parameters(paramLabel = "ID", description = "The held message.")
        String id;

        @Override
        String request() throws UserError {
            return ControlCommands.request("RELEASE", id(id).value());
        }
    }

    @Command(name = "bounce", mixinStandardHelpOptions = true,
            description = "Fail every pending recipient now (5.0.0 bounced by the operator), send the sender a "
                    + "failure notice and remove the message.")
    static final class Bounce extends Change {
        @Parameters(paramLabel = "ID", description = "The message to bounce.")
        String id;

        @Override
        String request() throws UserError {
            return ControlCommands.request("BOUNCE", id(id).value());
        }
    }
}
