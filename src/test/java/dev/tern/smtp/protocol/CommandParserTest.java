package dev.tern.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The command grammar of RFC 5321 §4.1, read by {@link CommandParser} without a session. */
class CommandParserTest {

    @Test
    void verbsAreCaseInsensitiveAndTakeTheirArguments() {
        assertThat(CommandParser.parse("ehlo client.example")).isEqualTo(new Command.Ehlo("client.example"));
        assertThat(CommandParser.parse("HELO client.example")).isEqualTo(new Command.Helo("client.example"));
        assertThat(CommandParser.parse("DATA")).isEqualTo(new Command.Data());
        assertThat(CommandParser.parse("NOOP anything")).isEqualTo(new Command.Noop()); // §4.1.1.9
        assertThat(CommandParser.parse("BDAT 12 LAST")).isEqualTo(new Command.Bdat(12, true));
    }

    @Test
    void mailTakesAPathAndUpperCasedParameters() {
        Command command = CommandParser.parse("MAIL FROM:<a@b.example> size=10 BODY=8BITMIME");
        assertThat(command).isInstanceOf(Command.Mail.class);
        Command.Mail mail = (Command.Mail) command;
        assertThat(mail.path()).isEqualTo("a@b.example");
        assertThat(mail.params()).containsExactly(Map.entry("SIZE", "10"), Map.entry("BODY", "8BITMIME"));
        Command.Mail requireTls = (Command.Mail) CommandParser.parse("MAIL FROM:<a@b.example> RequireTls");
        assertThat(requireTls.params()).containsOnlyKeys("REQUIRETLS").containsEntry("REQUIRETLS", null);
        assertThat(CommandParser.parse("RCPT TO:<\"a>b\"@c.example>")).isEqualTo(
                new Command.Rcpt("\"a>b\"@c.example", Map.of()));
    }

    @Test
    void malformedLinesGetTheirReply() {
        assertThat(reply("MAIL FROM: <a@b.example>").code()).isEqualTo(501); // no space after the colon, §3.3
        assertThat(reply("MAIL FROM:<a@b.example> SIZE=1 SIZE=2")).isEqualTo(
                Reply.of(501, "5.5.4", "Syntax error in parameters or arguments"));
        assertThat(reply("MAIL FROM:<a@b.example> REQUIRETLS requiretls")).as("RFC 8689's keyword twice")
                .isEqualTo(Reply.of(501, "5.5.4", "Syntax error in parameters or arguments"));
        assertThat(reply("DATA now")).isEqualTo(Reply.of(501, "5.5.4", "Syntax: DATA (no arguments)"));
        assertThat(reply("EHLO")).isEqualTo(Reply.of(501, "5.5.4", "Syntax: EHLO domain"));
        assertThat(reply("NOOP\0")).isEqualTo(Reply.of(500, "5.5.2", "NUL character in command line"));
        assertThat(reply("FROB")).isSameAs(Replies.UNRECOGNIZED);
        assertThat(CommandParser.parse("TURN")).isEqualTo(new Command.NotImplemented("TURN"));
    }

    @Test
    void invalidUtf8IsRefusedBeforeParsing() {
        byte[] line = {'E', 'H', 'L', 'O', ' ', (byte) 0xC3, 'x'};
        Command command = CommandParser.parse(line, line.length);
        assertThat(((Command.Invalid) command).reply()).isEqualTo(Reply.of(500, "5.5.2", "Invalid UTF-8 in command line"));
    }

    @Property
    void anyLineParsesToSomeCommandWithoutThrowing(@ForAll byte[] line) {
        assertThat(CommandParser.parse(line, line.length)).isNotNull();
    }

    @Property
    void aWellFormedMailCommandKeepsItsPath(@ForAll("paths") String path) {
        Command command = CommandParser.parse(("MAIL FROM:<" + path + ">").getBytes(StandardCharsets.UTF_8),
                ("MAIL FROM:<" + path + ">").getBytes(StandardCharsets.UTF_8).length);
        assertThat(command).isEqualTo(new Command.Mail(path, Map.of()));
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> atom = Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(20);
        return net.jqwik.api.Combinators.combine(atom, atom).as((local, domain) -> local + "@" + domain + ".example");
    }

    private static Reply reply(String line) {
        return ((Command.Invalid) CommandParser.parse(line)).reply();
    }
}
