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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code tern} command. Exit codes: 0 done, 1 refused or failed, with one line on standard error and
 * never a stack trace. Other packages add their commands ({@code serve}) to {@link #commandLine()} with
 * {@code addSubcommand}, or give them to {@link #commandLineFor}.
 */
@Command(name = "tern", mixinStandardHelpOptions = true, versionProvider = TernCommand.Version.class,
        description = "Tern, an SMTP mail server: run it, manage its domains, users, aliases and queue, send mail.")
public final class TernCommand implements Callable<Integer> {

    /**
     * The subcommands, in the order {@code tern --help} lists them. They are not in the annotation because
     * picocli reads the annotations of every command it is given, and for a short command such as
     * {@code tern user list} that was most of its start-up: {@link #commandLineFor} builds only the one named.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(DomainCommand.class, UserCommand.class, AliasCommand.class,
            ConfigCommand.class, QueueCommand.class, StatusCommand.class, SendmailCommand.class, CheckCommand.class,
            DnsCommand.class, DkimCommand.class, BenchCommand.class, ReloadCommand.class, TlsReportCommand.class);

    @Spec
    CommandSpec spec;

    private final PasswordInput passwords;
    private final Supplier<PasswordHasher> hasher;
    private final InputStream stdin;

    TernCommand(PasswordInput passwords, PasswordHasher hasher) {
        this(passwords, hasher, System.in);
    }

    TernCommand(PasswordInput passwords, PasswordHasher hasher, InputStream stdin) {
        this(passwords, () -> hasher, stdin);
    }

    private TernCommand(PasswordInput passwords, Supplier<PasswordHasher> hasher, InputStream stdin) {
        this.passwords = passwords;
        this.hasher = hasher;
        this.stdin = stdin;
    }

    /**
     * The configured command line with every subcommand: the terminal or standard input for passwords, the
     * default hash cost.
     */
    public static CommandLine commandLine() {
        return withAll(systemRoot());
    }

    /**
     * The command line {@code args} need, with {@code more} commands of other packages beside ours. When the
     * first argument names a subcommand only that one is built; its help and errors read as before. For a
     * lone {@code --version} none is; anything else ({@code --help}, no argument, a mistyped command) gets
     * them all, so the usage lists every command and an unknown word is reported as such.
     */
    public static CommandLine commandLineFor(String[] args, Object... more) {
        CommandLine cl = systemRoot();
        List<Object> all = new ArrayList<>(SUBCOMMANDS);
        all.addAll(List.of(more));
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return cl;
        }
        Object named = args.length == 0 ? null
                : all.stream().filter(c -> names(c).contains(args[0])).findFirst().orElse(null);
        for (Object command : named == null ? all : List.of(named)) {
            cl.addSubcommand(command);
        }
        return cl;
    }

    /** The name and aliases a command class (or an instance of one) declares in its {@code @Command}. */
    static List<String> names(Object command) {
        Class<?> type = command instanceof Class<?> c ? c : command.getClass();
        Command annotation = type.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(annotation.aliases()));
        names.add(0, annotation.name());
        return names;
    }

    /**
     * The terminal and the hasher are looked up when a command first needs them: finding the console loads
     * the JDK's line editor, and a hasher seeds a {@code SecureRandom}, both wasted on {@code tern queue list}.
     */
    private static CommandLine systemRoot() {
        PasswordInput terminalOrStdin = user -> PasswordInput.system().read(user);
        return root(new TernCommand(terminalOrStdin, PasswordHasher::new, System.in));
    }

    static CommandLine commandLine(PasswordInput passwords, PasswordHasher hasher) {
        return commandLine(passwords, hasher, System.in);
    }

    /** With the standard input that {@code tern sendmail} reads the message from. */
    static CommandLine commandLine(PasswordInput passwords, PasswordHasher hasher, InputStream stdin) {
        return withAll(root(new TernCommand(passwords, hasher, stdin)));
    }

    private static CommandLine withAll(CommandLine cl) {
        SUBCOMMANDS.forEach(cl::addSubcommand);
        return cl;
    }

    private static CommandLine root(TernCommand tern) {
        CommandLine cl = new CommandLine(tern);
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
        return hasher.get();
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

    /**
     * The project's version, from {@code version.properties} beside this class, which the build fills in
     * (resource filtering), so a jar, the test classes and a build from an IDE all say the same.
     */
    static final class Version implements CommandLine.IVersionProvider {
        static final String RESOURCE = "version.properties";

        @Override
        public String[] getVersion() throws IOException {
            return new String[] {"tern " + version()};
        }

        static String version() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = TernCommand.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IOException("no " + RESOURCE + " beside " + TernCommand.class.getName());
                }
                properties.load(in);
            }
            String version = properties.getProperty("version", "");
            if (version.isBlank() || version.startsWith("${")) {
                throw new IOException(RESOURCE + " was not filled in by the build");
            }
            return version;
        }
    }
}
