package dev.tern.admin;

import dev.tern.mail.Domain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tern domain add|list|remove}: local domains besides those of the config file. */
@Command(name = "domain", mixinStandardHelpOptions = true,
        description = "Manage the local domains (mail for them is stored here).",
        subcommands = {DomainCommand.Add.class, DomainCommand.List.class, DomainCommand.Remove.class})
final class DomainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ParameterException {
        throw TernCommand.missingSubcommand(spec);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a local domain.")
    static final class Add extends DataSubcommand {
        @Parameters(paramLabel = "DOMAIN", description = "The domain, e.g. example.com (IDN allowed).")
        String domain;

        @Override
        public Integer call() throws Exception {
            spec.commandLine().getOut().println("added domain " + data.directory().addDomain(domain));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the local domains, from the config file and added ones.")
    static final class List extends DataSubcommand {

        @Override
        public Integer call() throws Exception {
            for (String domain : data.directory().domains()) {
                String unicode = Domain.of(domain).unicode(); // IDNA2008, as the key was made
                spec.commandLine().getOut().println(unicode.equals(domain) ? domain : domain + " (" + unicode + ")");
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove an added domain (refused while users or aliases remain in it).")
    static final class Remove extends DataSubcommand {
        @Parameters(paramLabel = "DOMAIN", description = "The domain to remove.")
        String domain;

        @Override
        public Integer call() throws Exception {
            spec.commandLine().getOut().println("removed domain " + data.directory().removeDomain(domain));
            return 0;
        }
    }
}
