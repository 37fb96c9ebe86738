package dev.tern.admin;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tern alias add|list|remove}: addresses that deliver to local users or forward to other domains. */
@Command(name = "alias", mixinStandardHelpOptions = true,
        description = "Manage aliases: addresses that deliver to local users or forward to other domains.",
        subcommands = {AliasCommand.Add.class, AliasCommand.List.class, AliasCommand.Remove.class})
final class AliasCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ParameterException {
        throw TernCommand.missingSubcommand(spec);
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add targets to an alias, creating it if needed.")
    static final class Add extends DataSubcommand {
        @Parameters(index = "0", paramLabel = "ALIAS",
                description = "The alias, e.g. sales@example.com, or @example.com to catch all unknown names.")
        String alias;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TARGET",
                description = "Addresses it delivers to: local users or other aliases, or addresses in other "
                        + "domains, to which the message is forwarded (with the sender rewritten by [srs]).")
        java.util.List<String> targets;

        @Override
        public Integer call() throws Exception {
            spec.commandLine().getOut().println("added alias " + data.directory().addAlias(alias, targets));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the aliases and their targets.")
    static final class List extends DataSubcommand {

        @Override
        public Integer call() throws Exception {
            for (Map.Entry<String, java.util.List<String>> alias : data.directory().aliases().entrySet()) {
                spec.commandLine().getOut().println(alias.getKey() + ": " + String.join(", ", alias.getValue()));
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an alias and all its targets.")
    static final class Remove extends DataSubcommand {
        @Parameters(paramLabel = "ALIAS", description = "The alias to remove.")
        String alias;

        @Override
        public Integer call() throws Exception {
            spec.commandLine().getOut().println("removed alias " + data.directory().removeAlias(alias));
            return 0;
        }
    }
}
