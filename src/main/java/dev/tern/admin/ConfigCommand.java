package dev.tern.admin;

import dev.tern.config.ConfigLoader;
import dev.tern.config.ConfigSchema;
import dev.tern.config.TernConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern config check FILE}: the same validation the server does at start, without starting;
 * {@code tern config defaults}: every key with its default, described by the readers themselves.
 */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with configuration files.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Defaults.class})
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

    @Command(name = "defaults", mixinStandardHelpOptions = true,
            description = {"Print every configuration key with its default, one \"section.key = value\" line "
                    + "each (like postconf -d). The lines are valid TOML: paste one into a configuration "
                    + "file and change its value. A comment gives the key's range or choices; a key with no "
                    + "default value is printed as a comment. The defaults are those of the code, with "
                    + "hostname localhost and data_dir ./data as for config check.",
                    "Arrays of tables ([[listener]], [[rule]], [[delivery.route]]...) have no single default "
                    + "and are not printed: docs/configuration.md describes them."})
    static final class Defaults implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(ConfigSchema.toToml(
                    ConfigSchema.collect(TernConfig.defaults("localhost", DataOptions.DEFAULT_DATA))));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
