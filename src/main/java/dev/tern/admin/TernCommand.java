package dev.tern.admin;

import dev.tern.auth.PasswordHasher;
import dev.tern.config.ConfigException;
import dev.tern.queue.QueueRefusedException;
import dev.tern.store.DirectoryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code tern} command. Exit codes: 0 done, 1 refused or failed, with one line on standard error and
 * never a stack trace. Other packages add their commands ({@code serve}, {@code bench}) to
 * {@link #commandLine()} with {@code addSubcommand}.
 */
@Command(name = "tern", mixinStandardHelpOptions = true, versionProvider = TernCommand.Version.class,
        description = "Tern, an SMTP mail server: run it, manage its domains, users, aliases and queue, send mail.",
        subcommands = {DomainCommand.class, UserCommand.class, AliasCommand.class, ConfigCommand.class,
                QueueCommand.class, SendmailCommand.class, CheckCommand.class, DnsCommand.class, DkimCommand.class,
                BenchCommand.class})
public final class TernCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final PasswordInput passwords;
    private final PasswordHasher hasher;
    private final InputStream stdin;

    TernCommand(PasswordInput passwords, PasswordHasher hasher) {
        this(passwords, hasher, System.in);
    }

    TernCommand(PasswordInput passwords, PasswordHasher hasher, InputStream stdin) {
        this.passwords = passwords;
        this.hasher = hasher;
        this.stdin = stdin;
    }

    /** The configured command line: the terminal or standard input for passwords, the default hash cost. */
    public static CommandLine commandLine() {
        return commandLine(PasswordInput.system(), new PasswordHasher());
    }

    static CommandLine commandLine(PasswordInput passwords, PasswordHasher hasher) {
        return commandLine(passwords, hasher, System.in);
    }

    /** With the standard input that {@code tern sendmail} reads the message from. */
    static CommandLine commandLine(PasswordInput passwords, PasswordHasher hasher, InputStream stdin) {
        CommandLine cl = new CommandLine(new TernCommand(passwords, hasher, stdin));
        cl.setExecutionExceptionHandler(TernCommand::executionFailed);
        cl.setParameterExceptionHandler(TernCommand::badArguments);
        return cl;
    }

    @Override
    public Integer call() throws ParameterException {
        throw missingSubcommand(spec);
    }

    PasswordInput passwords() {
        return passwords;
    }

    PasswordHasher hasher() {
        return hasher;
    }

    InputStream stdin() {
        return stdin;
    }

    /** The root of the command a subcommand runs under; its password input and hasher. */
    static TernCommand root(CommandSpec spec) {
        if (spec.root().userObject() instanceof TernCommand tern) {
            return tern;
        }
        return new TernCommand(PasswordInput.system(), new PasswordHasher());
    }

    static ParameterException missingSubcommand(CommandSpec spec) {
        return new ParameterException(spec.commandLine(), "missing subcommand: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    private static int badArguments(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
        err.flush();
        return 1;
    }

    private static int executionFailed(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        err.println("tern: " + describe(e));
        err.flush();
        return 1;
    }

    /** One line for the operator; a file-system error names the file and what went wrong with it. */
    static String describe(Exception e) {
        if (e instanceof UserError || e instanceof DirectoryException || e instanceof ConfigException
                || e instanceof QueueRefusedException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException f) {
            return "no such file or directory: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? f.getClass().getSimpleName() : f.getReason());
        }
        if (e instanceof IOException) {
            return e.getMessage() == null ? "I/O error" : e.getMessage();
        }
        return "unexpected error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** The version from the jar manifest, when built as one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TernCommand.class.getPackage().getImplementationVersion();
            return new String[] {"tern " + (version == null ? "(development build)" : version)};
        }
    }
}
