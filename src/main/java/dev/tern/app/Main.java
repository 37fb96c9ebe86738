package dev.tern.app;

import dev.tern.admin.TernCommand;
import picocli.CommandLine;

/** The {@code tern} command: the admin commands, plus {@code serve}, which needs the whole wiring. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = TernCommand.commandLine();
        commandLine.addSubcommand("serve", new ServeCommand());
        return commandLine;
    }
}
