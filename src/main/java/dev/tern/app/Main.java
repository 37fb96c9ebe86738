package dev.tern.app;

import dev.tern.admin.TernCommand;
import picocli.CommandLine;

/** The {@code tern} command: the admin commands, plus {@code serve}, which needs the whole wiring. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        quietUnlessServing(args);
        System.exit(TernCommand.commandLineFor(args, ServeCommand.class).execute(args));
    }

    /**
     * The server logs every event; a command line tool prints only its answer, and warnings. Above all
     * {@code tern sendmail} must be silent when it succeeds (cron and friends mail whatever it prints). Set
     * before the first logger exists; {@code TERN_LOG_LEVEL} (property or environment) still wins. The other
     * property has {@link CommandLineLogging} set Logback up in code rather than from logback.xml.
     */
    static void quietUnlessServing(String[] args) {
        boolean serve = args.length > 0 && args[0].equals("serve");
        if (serve) {
            return;
        }
        System.setProperty(CommandLineLogging.PROPERTY, "true");
        if (System.getProperty("TERN_LOG_LEVEL") == null && System.getenv("TERN_LOG_LEVEL") == null) {
            System.setProperty("TERN_LOG_LEVEL", "warn");
        }
    }

    /** Every command, {@code serve} too: for tests, which run several commands on one command line. */
    static CommandLine commandLine() {
        CommandLine commandLine = TernCommand.commandLine();
        commandLine.addSubcommand("serve", new ServeCommand());
        return commandLine;
    }
}
