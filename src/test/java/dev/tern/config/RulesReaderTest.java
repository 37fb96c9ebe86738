package dev.tern.config;

import dev.tern.mail.IpNetwork;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RulesReaderTest {

    @TempDir
    Path dir;

    private RuleSettings load(String toml) throws IOException, ConfigException {
        Path file = dir.resolve("tern.toml");
        Files.writeString(file, toml, StandardCharsets.UTF_8);
        return RulesReader.load(file);
    }

    private RuleDefinition only(String toml) throws Exception {
        List<RuleDefinition> rules = load(toml).rules();
        assertThat(rules).hasSize(1);
        return rules.get(0);
    }

    private ConfigException refused(String toml) {
        try {
            load(toml);
        } catch (ConfigException e) {
            assertThat(e.file()).endsWith("tern.toml");
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected the file to be refused");
    }

    @Test
    void noRulesIsTheDefaultAndOtherKeysAreLeftToTheLoader() throws Exception {
        assertThat(load("hostname = \"mx.example\"\n[limits]\nmax_errors = 3\n")).isEqualTo(RuleSettings.defaults());
        assertThat(RuleSettings.defaults().rules()).isEmpty();
    }

    @Test
    void readsTheExampleOfTheDocs() throws Exception {
        RuleDefinition rule = only("""
                [[rule]]
                name = "block-spammer"
                sender = "@spam.example"
                action = "reject"
                text = "Your domain is blocked"
                """);
        assertThat(rule).isEqualTo(new RuleDefinition("block-spammer", List.of(), List.of(), List.of(),
                List.of("*@spam.example"), List.of(), RuleDefinition.Action.REJECT, 550, "5.7.1", "Your domain is blocked"));
    }

    @Test
    void everyMatcherTakesOneValueOrAListAndIsNormalized() throws Exception {
        RuleDefinition rule = only("""
                [[rule]]
                client = ["192.0.2.0/24", "2001:DB8::/32"]
                helo = "*.Example.COM"
                user = ["Alice@Example.org", "<none>"]
                sender = ["<>", "Bob@Bücher.example", "*@*.example.net"]
                recipient = "Postmaster@LOCALHOST"
                action = "hold"
                """);
        assertThat(rule.name()).isEqualTo("rule-1");
        assertThat(rule.client()).containsExactly(IpNetwork.parse("192.0.2.0/24"), IpNetwork.parse("2001:db8::/32"));
        assertThat(rule.helo()).containsExactly("*.example.com");
        assertThat(rule.user()).containsExactly("alice@example.org", "<none>");
        assertThat(rule.sender()).containsExactly("<>", "bob@xn--bcher-kva.example", "*@*.example.net");
        assertThat(rule.recipient()).containsExactly("postmaster@localhost");
        assertThat(rule.action()).isEqualTo(RuleDefinition.Action.HOLD);
        assertThat(rule.code()).isZero();
        assertThat(rule.text()).isNull();
    }

    @Test
    void refusalsHaveDefaultRepliesThatMayBeChanged() throws Exception {
        List<RuleDefinition> rules = load("""
                [[rule]]
                client = "192.0.2.1"
                action = "defer"
                [[rule]]
                client = "192.0.2.2"
                action = "reject"
                code = 554
                [[rule]]
                client = "192.0.2.3"
                action = "defer"
                code = 451
                enhanced = "4.7.25"
                text = "Slow down"
                """).rules();
        assertThat(rules).extracting(RuleDefinition::code, RuleDefinition::enhanced, RuleDefinition::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple(450, "4.7.1", "Try again later"),
                org.assertj.core.groups.Tuple.tuple(554, "5.7.1", "Rejected by policy"),
                org.assertj.core.groups.Tuple.tuple(451, "4.7.25", "Slow down"));
        assertThat(rules).extracting(RuleDefinition::name).containsExactly("rule-1", "rule-2", "rule-3");
    }

    @Test
    void aRuleWithoutMatcherIsRefused() {
        ConfigException e = refused("[[rule]]\nname = \"all\"\naction = \"reject\"\n");
        assertThat(e.key()).isEqualTo("rule[0]");
        assertThat(e.reason()).contains("no matcher");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "client = \"10.1.2.3/8\"                 | rule[0].client    | write \"10.0.0.0/8\"",
            "client = \"mx.example\"                 | rule[0].client    | IP address or a network",
            "client = []                             | rule[0].client    | must not be an empty array",
            "client = 10                             | rule[0].client    | string or an array of strings",
            "helo = \"two words\"                    | rule[0].helo      | spaces",
            "user = \"<anyone>\"                     | rule[0].user      | \"<none>\" for none",
            "sender = \"spam.example\"               | rule[0].sender    | write \"@spam.example\"",
            "sender = \"user@\"                      | rule[0].sender    | must be an address",
            "sender = '\"a b\"@example.com'          | rule[0].sender    | spaces",
            "sender = '\"ab\"@example.com'           | rule[0].sender    | quotes",
            "recipient = \"<>\"                      | rule[0].recipient | null sender",
            "sender = \"a@x\" ;; nonsense = 1          | rule[0].nonsense  | unknown key",
    })
    void refusesBadMatchers(String line, String key, String reason) {
        ConfigException e = refused("[[rule]]\n" + line.replace(" ;; ", "\n") + "\naction = \"reject\"\n");
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.reason()).contains(reason);
        assertThat(e.getMessage()).startsWith(e.file() + ": " + key + ": ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "action = \"drop\"                               | rule[0].action   | \"accept\", \"reject\", \"defer\", \"hold\"",
            "name = \"x\"                                    | rule[0].action   | is required",
            "acton = \"reject\"                              | rule[0].acton    | unknown key",
            "action = \"reject\" ;; code = 450                 | rule[0].code     | between 500 and 599",
            "action = \"defer\" ;; code = 550                  | rule[0].code     | between 400 and 499",
            "action = \"defer\" ;; code = 421                  | rule[0].code     | closes the connection",
            "action = \"reject\" ;; enhanced = \"4.7.1\"       | rule[0].enhanced | 5.x.x",
            "action = \"defer\" ;; enhanced = \"5.7.1\"        | rule[0].enhanced | 4.x.x",
            "action = \"reject\" ;; enhanced = \"5.7\"         | rule[0].enhanced | RFC 3463",
            "action = \"reject\" ;; enhanced = \"5.7.1000\"    | rule[0].enhanced | RFC 3463",
            "action = \"reject\" ;; text = \"a\\r\\n250 OK\"   | rule[0].text     | U+000D",
            "action = \"reject\" ;; text = \"caf\u00e9\"       | rule[0].text     | printable ASCII",
            "action = \"reject\" ;; text = \"  \"              | rule[0].text     | 1 to 400",
            "action = \"accept\" ;; text = \"Welcome\"         | rule[0].text     | only to \"reject\" and \"defer\"",
            "action = \"hold\" ;; code = 250                   | rule[0].code     | only to \"reject\" and \"defer\"",
            "action = \"accept\" ;; name = \"bad name\"        | rule[0].name     | letters, digits",
    })
    void refusesBadActionsAndReplies(String lines, String key, String reason) {
        ConfigException e = refused("[[rule]]\nsender = \"a@example.com\"\n" + lines.replace(" ;; ", "\n") + "\n");
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.reason()).contains(reason);
    }

    @Test
    void namesAreUniqueWithoutRegardToCase() {
        ConfigException e = refused("""
                [[rule]]
                name = "partner"
                client = "192.0.2.0/24"
                action = "accept"
                [[rule]]
                name = "Partner"
                client = "198.51.100.0/24"
                action = "accept"
                """);
        assertThat(e.key()).isEqualTo("rule[1].name");
        assertThat(e.reason()).contains("rule[0].name");
    }

    @Test
    void ruleMustBeAnArrayOfTables() {
        ConfigException e = refused("[rule]\nclient = \"192.0.2.1\"\n");
        assertThat(e.key()).isEqualTo("rule");
        assertThat(e.reason()).contains("[[rule]]");
    }

    @Test
    void fileProblemsNameTheFile() {
        ConfigException missing;
        try {
            RulesReader.load(dir.resolve("absent.toml"));
            throw new AssertionError("expected a refusal");
        } catch (ConfigException e) {
            missing = e;
        }
        assertThat(missing.getMessage()).endsWith("absent.toml: no such file");
        ConfigException syntax = refused("[[rule]\n");
        assertThat(syntax.key()).isNull();
        assertThat(syntax.reason()).startsWith("not valid TOML at line ");
    }
}
