package dev.tern.admin;

import dev.tern.auth.StoredPasswords;
import dev.tern.config.ConfigValues;
import dev.tern.store.DirectoryException;
import dev.tern.store.FileDirectory;
import dev.tern.store.Names;
import dev.tern.store.StoredPassword;
import java.io.IOException;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tern user add|list|remove|passwd|set}: users (full addresses), their passwords and quotas. */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage users: mailboxes that can receive mail and log in to send it.",
        subcommands = {UserCommand.Add.class, UserCommand.List.class, UserCommand.Remove.class,
            UserCommand.Passwd.class, UserCommand.Set.class})
final class UserCommand implements Callable<Integer> {

    private static final String PASSWORD_NOTE = "The password is one line on standard input, or asked twice "
            + "without echo on a terminal.";
    private static final String QUOTA_HELP = "The storage quota of the mailbox: a size such as 2GiB or 500MB, 0 "
            + "for none, 'default' for [mailbox] default_quota.";

    /** A quota as the operator writes it: a size, 0 for none, or {@code default} (empty: no override). */
    static OptionalLong parseQuota(CommandSpec spec, String text) {
        if (text.equalsIgnoreCase("default")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(ConfigValues.parseSize(text));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--quota: " + e.getMessage() + ", or \"default\"");
        }
    }

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
        @Option(names = "--quota", paramLabel = "SIZE", description = QUOTA_HELP)
        String quota;

        @Override
        public Integer call() throws Exception {
            FileDirectory directory = data.directory();
            OptionalLong limit = quota == null ? OptionalLong.empty() : parseQuota(spec, quota);
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
            if (limit.isPresent()) {
                directory.setQuota(added, limit);
            }
            spec.commandLine().getOut().println("added user " + added);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users.")
    static final class List extends DataSubcommand {
        @Option(names = "--quotas", description = "Show each user's quota: their own, or the default.")
        boolean quotas;

        @Override
        public Integer call() throws Exception {
            FileDirectory directory = data.directory();
            if (!quotas) {
                directory.users().forEach(spec.commandLine().getOut()::println);
                return 0;
            }
            SortedMap<String, Long> own = directory.quotas();
            long fallback = data.config().mailbox().defaultQuota();
            for (String user : directory.users()) {
                Long quota = own.get(user);
                spec.commandLine().getOut().println(user + " quota=" + describe(quota == null ? fallback : quota)
                        + (quota == null ? " (default)" : ""));
            }
            return 0;
        }
    }

    private static String describe(long quota) {
        return quota == 0 ? "none" : ConfigValues.formatSize(quota);
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Change a user's settings.")
    static final class Set extends DataSubcommand {
        @Parameters(paramLabel = "ADDRESS", description = "The user's address.")
        String address;
        @Option(names = "--quota", required = true, paramLabel = "SIZE", description = QUOTA_HELP)
        String quota;

        @Override
        public Integer call() throws Exception {
            OptionalLong limit = parseQuota(spec, quota);
            String user = data.directory().setQuota(address, limit);
            spec.commandLine().getOut().println("quota of " + user + ": " + (limit.isPresent()
                    ? describe(limit.getAsLong()) : "the default (" + describe(data.config().mailbox().defaultQuota())
                    + ")"));
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
