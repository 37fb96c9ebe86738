package dev.tern.admin;

import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tern config check FILE}: the same validation the server does at start, without starting. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with configuration files.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ParameterException {
        throw TernCommand.missingSubcommand(spec);
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate a configuration file: prints OK, or the file, key and reason of the first "
                    + "problem (exit code 1).")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "The TOML file to check.")
        Path file;

        @Override
        public Integer call() throws Exception {
            ConfigLoader.load(file, TernConfig.defaults("localhost", DataOptions.DEFAULT_DATA));
            spec.commandLine().getOut().println("OK");
            return 0;
        }
    }
}
