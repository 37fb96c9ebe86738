package dev.tern.admin;

import dev.tern.config.ConfigException;
import dev.tern.mail.IpNetwork;
import dev.tern.config.RuleSettings;
import dev.tern.config.RulesReader;
import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.policy.rules.Decision;
import dev.tern.policy.rules.Facts;
import dev.tern.policy.rules.RuleEngine;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tern check rules}: which filtering rule a given client and envelope would meet, and the reply. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Try the policy on a made-up message.",
        subcommands = CheckCommand.Rules.class)
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ParameterException {
        throw TernCommand.missingSubcommand(spec);
    }

    @Command(name = "rules", mixinStandardHelpOptions = true,
            description = {"Show which [[rule]] of a configuration file would decide, at which SMTP stage "
                    + "(connect, helo, mail, rcpt), and the reply; or 'no rule matches: default policy'.",
                    "Relay and recipient checks are not part of the rules and are not shown."})
    static final class Rules implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--from", required = true, paramLabel = "ADDRESS",
                description = "The sender (MAIL FROM); '<>' or '' for the null sender.")
        String from;

        @Option(names = "--to", required = true, paramLabel = "ADDRESS",
                description = "A recipient (RCPT TO); repeat for several.")
        List<String> to;

        @Option(names = "--client", required = true, paramLabel = "IP", description = "The client's IP address.")
        String client;

        @Option(names = "--helo", paramLabel = "NAME", description = "The HELO/EHLO name (default: none given).")
        String helo;

        @Option(names = "--user", paramLabel = "USER",
                description = "The authenticated user (default: the client did not authenticate).")
        String user;

        @Option(names = "--config", paramLabel = "FILE",
                description = "Configuration file holding the rules (default: none, so no rule).")
        Path configFile;

        @Override
        public Integer call() throws ConfigException {
            InetAddress clientAddress = clientAddress();
            Address sender = address(from, "--from", true);
            List<Address> recipients = to.stream().map(t -> address(t, "--to", false)).toList();
            RuleSettings rules = configFile == null ? RuleSettings.defaults() : RulesReader.load(configFile);
            RuleEngine engine = new RuleEngine(rules);
            PrintWriter out = spec.commandLine().getOut();
            Facts atConnect = Facts.connect(clientAddress);
            if (show(out, "connect", "client " + client, engine.atConnect(atConnect))) {
                return 0;
            }
            Facts atHelo = atConnect.withHelo(helo);
            if (show(out, "helo", helo == null ? "none given" : helo, engine.atHelo(atHelo))) {
                return 0;
            }
            Facts atMail = atHelo.withMail(user, sender);
            String who = user == null ? "not authenticated" : "user " + user;
            if (show(out, "mail", "from <" + sender + ">, " + who, engine.atMail(atMail))) {
                return 0;
            }
            boolean any = false;
            for (Address recipient : recipients) {
                Decision decision = engine.atRcpt(atMail.withRecipient(recipient));
                any |= decision.matched();
                out.println("rcpt: to <" + recipient + ">: "
                        + (decision.matched() ? describe(decision) : "no rule matches: default policy"));
            }
            if (!any) {
                out.println("no rule matches: default policy");
            }
            return 0;
        }

        private InetAddress clientAddress() {
            try {
                return IpNetwork.parseAddress(client);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--client: " + e.getMessage());
            }
        }

        private Address address(String text, String option, boolean mayBeNull) {
            String bare = text.startsWith("<") && text.endsWith(">") ? text.substring(1, text.length() - 1) : text;
            if (bare.isEmpty() && mayBeNull) {
                return Address.NULL;
            }
            try {
                return Address.parseMailbox(bare, true);
            } catch (AddressException e) {
                throw new ParameterException(spec.commandLine(), option + ": invalid address \"" + text + "\": "
                        + e.getMessage());
            }
        }

        /** Prints a stage's line; true when a rule decided, which later stages would only repeat. */
        private static boolean show(PrintWriter out, String stage, String facts, Decision decision) {
            out.println(stage + ": " + facts + ": " + (decision.matched() ? describe(decision) : "no rule decides yet"));
            return decision.matched();
        }

        private static String describe(Decision d) {
            String head = "rule \"" + d.rule() + "\": " + d.action().name().toLowerCase(Locale.ROOT);
            return switch (d.action()) {
                case REJECT, DEFER -> head + ": " + d.reply();
                case ACCEPT -> head + ": later rules do not apply (relay and recipient checks still do)";
                case HOLD -> head + ": accepted, then held in the queue for an operator";
                case NONE -> "no rule matches: default policy";
            };
        }
    }
}
