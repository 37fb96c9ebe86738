package dev.tern.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@link TernCommand#commandLineFor}: only the named subcommand is built, and nothing reads differently. */
class CommandLineForTest {

    @TempDir
    Path dir;

    @Command(name = "serve", aliases = "run", description = "Stand-in for a command another package adds.")
    static final class Serve implements Callable<Integer> {
        @Override
        public Integer call() {
            return 42;
        }
    }

    /** The subcommands' names (picocli's map has a key for each alias too). */
    private static List<String> subcommands(String... args) {
        return names(TernCommand.commandLineFor(args, Serve.class));
    }

    private static List<String> names(CommandLine cl) {
        return cl.getSubcommands().values().stream().distinct().map(CommandLine::getCommandName).toList();
    }

    private static List<String> everyName() {
        List<String> all = new ArrayList<>();
        TernCommand.SUBCOMMANDS.forEach(c -> all.add(TernCommand.names(c).get(0)));
        all.add("serve");
        return all;
    }

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertThat(subcommands("user", "list", "--data", "x")).containsExactly("user");
        assertThat(subcommands("queue")).containsExactly("queue");
        assertThat(subcommands("serve", "--config", "f")).containsExactly("serve");
        assertThat(subcommands("run")).containsExactly("serve");
    }

    @Test
    void helpNoArgumentsOrAnUnknownWordGetThemAll() {
        assertThat(subcommands("--help")).containsExactlyElementsOf(everyName());
        assertThat(subcommands()).containsExactlyElementsOf(everyName());
        assertThat(subcommands("frobnicate")).containsExactlyElementsOf(everyName());
        assertThat(subcommands("--version", "--help")).containsExactlyElementsOf(everyName());
    }

    @Test
    void aLoneVersionNeedsNone() {
        assertThat(subcommands("--version")).isEmpty();
        assertThat(subcommands("-V")).isEmpty();
    }

    @Test
    void eachListedCommandIsRegisteredUnderTheNameItDeclares() {
        List<String> registered = names(TernCommand.commandLine());
        assertThat(registered).containsExactlyElementsOf(everyName().subList(0, everyName().size() - 1));
    }

    @Test
    void theUsageIsTheSameAsWithEveryCommandBuilt() {
        CommandLine full = TernCommand.commandLine();
        full.addSubcommand(Serve.class);
        assertThat(TernCommand.commandLineFor(new String[] {"--help"}, Serve.class).getUsageMessage())
                .isEqualTo(full.getUsageMessage());
        assertThat(TernCommand.commandLineFor(new String[] {"user"}, Serve.class).getSubcommands().get("user")
                .getUsageMessage()).isEqualTo(full.getSubcommands().get("user").getUsageMessage());
    }

    @Test
    void aNamedCommandRunsAndAnUnknownOneIsReported() {
        String data = dir.resolve("data").toString();
        assertThat(run("domain", "add", "--data", data, "example.com")).isEqualTo("0 added domain example.com\n");
        assertThat(run("domain", "list", "--data", data)).contains("example.com");
        assertThat(run("serve")).isEqualTo("42 ");
        assertThat(run("frobnicate")).startsWith("1 ").contains("Unmatched argument");
    }

    /** The exit code, a space, then what the command printed on standard output and standard error. */
    private static String run(String... args) {
        CommandLine cl = TernCommand.commandLineFor(args, Serve.class);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        int exit = cl.execute(args);
        return exit + " " + out;
    }
}
