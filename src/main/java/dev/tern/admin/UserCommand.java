package dev.tern.admin;

import dev.tern.auth.StoredPasswords;
import dev.tern.store.DirectoryException;
import dev.tern.store.FileDirectory;
import dev.tern.store.Names;
import dev.tern.store.StoredPassword;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tern user add|list|remove|passwd}: users (full addresses) and their passwords. */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage users: mailboxes that can receive mail and log in to send it.",
        subcommands = {UserCommand.Add.class, UserCommand.List.class, UserCommand.Remove.class,
            UserCommand.Passwd.class})
final class UserCommand implements Callable<Integer> {

    private static final String PASSWORD_NOTE = "The password is one line on standard input, or asked twice "
            + "without echo on a terminal.";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ParameterException {
        throw TernCommand.missingSubcommand(spec);
    }

    /**
     * Reads a password and derives what is stored of it (Argon2id hash and SCRAM-SHA-256 verifier); the
     * plain text is wiped at once. Says so when SASLprep refuses the password for SCRAM.
     */
    static StoredPassword newPassword(CommandSpec spec, String user, int scramIterations)
            throws UserError, IOException {
        TernCommand root = TernCommand.root(spec);
        char[] password = root.passwords().read(user);
        StoredPassword stored;
        try {
            stored = StoredPasswords.derive(root.hasher(), password, scramIterations);
        } finally {
            Arrays.fill(password, '\0');
        }
        if (stored.scramSha256().isEmpty()) {
            spec.commandLine().getErr().println("note: the password holds characters SASLprep (RFC 4013) does not"
                    + " allow, so " + user + " can log in with PLAIN or LOGIN but not SCRAM-SHA-256");
        }
        return stored;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {"Add a user.", PASSWORD_NOTE})
    static final class Add extends DataSubcommand {
        @Parameters(paramLabel = "ADDRESS", description = "The user's address, e.g. alice@example.com.")
        String address;

        @Override
        public Integer call() throws Exception {
            FileDirectory directory = data.directory();
            // Refuse before asking for a password when the answer is known already.
            String user = Names.userAddress(address);
            String domain = user.substring(user.lastIndexOf('@') + 1);
            if (!directory.domains().contains(domain)) {
                throw new DirectoryException("domain " + domain + " is not a local domain; add it first "
                        + "(tern domain add " + domain + ") or pass the server's --config");
            }
            if (directory.users().contains(user)) {
                throw new DirectoryException("user " + user + " already exists");
            }
            String added = directory.addUser(user, newPassword(spec, user, data.config().auth().scramIterations()));
            spec.commandLine().getOut().println("added user " + added);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users.")
    static final class List extends DataSubcommand {

        @Override
        public Integer call() throws Exception {
            data.directory().users().forEach(spec.commandLine().getOut()::println);
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a user (the mailbox stays on disk).")
    static final class Remove extends DataSubcommand {
        @Parameters(paramLabel = "ADDRESS", description = "The user's address.")
        String address;

        @Override
        public Integer call() throws Exception {
            spec.commandLine().getOut().println("removed user " + data.directory().removeUser(address));
            return 0;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = {"Set a user's password.", PASSWORD_NOTE})
    static final class Passwd extends DataSubcommand {
        @Parameters(paramLabel = "ADDRESS", description = "The user's address.")
        String address;

        @Override
        public Integer call() throws Exception {
            FileDirectory directory = data.directory();
            String user = Names.userAddress(address);
            if (!directory.users().contains(user)) {
                throw new DirectoryException("no such user: " + user);
            }
            directory.setPassword(user, newPassword(spec, user, data.config().auth().scramIterations()));
            spec.commandLine().getOut().println("changed the password of " + user);
            return 0;
        }
    }
}
