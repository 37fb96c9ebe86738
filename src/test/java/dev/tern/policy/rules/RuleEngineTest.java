package dev.tern.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.mail.IpNetwork;
import dev.tern.config.RulesReader;
import dev.tern.mail.Address;
import dev.tern.policy.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleEngineTest {

    @TempDir
    Path dir;

    private RuleEngine engine(String toml) throws Exception {
        Path file = dir.resolve("rules.toml");
        Files.writeString(file, toml);
        return new RuleEngine(RulesReader.load(file));
    }

    /** One rule named "r" with the given matcher line(s), rejecting. */
    private RuleEngine rejecting(String matchers) throws Exception {
        return engine("[[rule]]\nname = \"r\"\n" + matchers + "\naction = \"reject\"\n");
    }

    private static Address address(String text) throws Exception {
        return text.equals("<>") ? Address.NULL : Address.parseMailbox(text, true);
    }

    private static Facts facts(String client) {
        return Facts.connect(IpNetwork.parseAddress(client));
    }

    private static Facts mail(String client, String helo, String user, String sender) throws Exception {
        return facts(client).withHelo(helo).withMail(user, address(sender));
    }

    private static Facts rcpt(String sender, String recipient) throws Exception {
        return mail("192.0.2.1", "mx.example.org", null, sender).withRecipient(address(recipient));
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8, 10.255.255.255, true",
            "10.0.0.0/8, 11.0.0.0, false",
            "192.0.2.0/31, 192.0.2.1, true",
            "192.0.2.0/31, 192.0.2.2, false",
            "2001:db8::/48, 2001:db8:0:ffff::1, true",
            "2001:db8::/48, 2001:db8:1::1, false",
            "2001:db8::/48, 10.0.0.1, false",
            "'[\"192.0.2.9\", \"2001:db8::/32\"]', 2001:db8::5, true",
            "'[\"192.0.2.9\", \"2001:db8::/32\"]', 192.0.2.9, true",
            "'[\"192.0.2.9\", \"2001:db8::/32\"]', 192.0.2.10, false",
    })
    void clientMatchesAtConnect(String networks, String client, boolean expected) throws Exception {
        String value = networks.startsWith("[") ? networks : "\"" + networks + "\"";
        Decision decision = rejecting("client = " + value).atConnect(facts(client));
        assertThat(decision.matched()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "*.example.com, MX.Example.COM, true",
            "*.example.com, a.b.example.com, true",
            "*.example.com, example.com, false",
            "*.example.com, notexample.com, false",
            "Mail.Example.org, mail.example.ORG, true",
            "mail.example.org, mail.example.org.evil, false",
            "[192.0.2.1], [192.0.2.1], true",
    })
    void heloMatchesWithoutRegardToCase(String pattern, String helo, boolean expected) throws Exception {
        RuleEngine engine = rejecting("helo = \"" + pattern + "\"");
        assertThat(engine.atHelo(facts("192.0.2.1").withHelo(helo)).matched()).isEqualTo(expected);
    }

    @Test
    void aHeloRuleWaitsForHelo() throws Exception {
        RuleEngine engine = rejecting("helo = \"*\"");
        assertThat(engine.atConnect(facts("192.0.2.1"))).isEqualTo(Decision.NONE);
        assertThat(engine.atHelo(facts("192.0.2.1").withHelo("x")).matched()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "Alice@Example.org, alice@example.ORG, true",
            "alice@example.org, bob@example.org, false",
            "alice@example.org, , false",
            "*@example.org, bob@example.org, true",
            "*, bob@example.org, true",
            "*, , false",
            "<none>, , true",
            "<none>, bob@example.org, false",
    })
    void userMatchesTheAuthenticatedIdentity(String pattern, String user, boolean expected) throws Exception {
        RuleEngine engine = rejecting("user = \"" + pattern + "\"");
        assertThat(engine.atMail(mail("192.0.2.1", "h", user, "a@b.example")).matched()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "bob@spam.example, Bob@SPAM.example, true",
            "bob@spam.example, rob@spam.example, false",
            "@spam.example, anyone@spam.example, true",
            "@spam.example, anyone@sub.spam.example, false",
            "@spam.example, anyone@spam.example.org, false",
            "*@*.example.com, x@mx.example.com, true",
            "*@*.example.com, x@example.com, false",
            "*@*.example.com, x@a.b.example.com, true",
            "info-*@example.com, info-sales@example.com, true",
            "info-*@example.com, sales@example.com, false",
            "<>, <>, true",
            "<>, mailer-daemon@example.com, false",
            "*@*, <>, false",
            "@bücher.example, x@xn--bcher-kva.example, true",
            "@xn--bcher-kva.example, x@BÜCHER.example, true",
            "john.doe@example.com, \"John.Doe\"@example.com, true",
            "a@[192.0.2.1], a@[192.0.2.1], true",
    })
    void senderPatterns(String pattern, String sender, boolean expected) throws Exception {
        RuleEngine engine = rejecting("sender = '" + pattern + "'");
        assertThat(engine.atMail(mail("192.0.2.1", "h", null, sender)).matched()).isEqualTo(expected);
    }

    /**
     * As store.Names and the directory: NFC (the Unicode escapes keep each side's form visible: U+00F6 is the
     * composed o-umlaut, o U+0308 the decomposed one), case-folded, and {@code +tag} reaching the base address
     * (RFC 5233).
     */
    @ParameterizedTest
    @CsvSource({
            "bob@example.org, Bob+x@EXAMPLE.org, true",
            "bob@example.org, bob+x+y@example.org, true",
            "bob@example.org, bobx@example.org, false",
            "bob@example.org, x+bob@example.org, false",
            "bob+x@example.org, BOB+X@example.org, true",
            "bob+x@example.org, bob@example.org, false",
            "bob+x@example.org, bob+y@example.org, false",
            "bob+*@example.org, bob+news@example.org, true",
            "bob*@example.org, bob+news@example.org, true",
            "j\u00f6rg@example.org, jo\u0308rg@example.org, true",
            "jo\u0308rg@example.org, J\u00d6RG+x@example.org, true",
            "jo\u0308rg@example.org, JO\u0308RG@b\u00fccher.example, false",
            "@b\u00fccher.example, jo\u0308rg+x@BU\u0308CHER.example, true",
    })
    void addressesMatchAsTheDirectoryNamesThem(String pattern, String address, boolean expected) throws Exception {
        RuleEngine senders = rejecting("sender = '" + pattern + "'");
        RuleEngine recipients = rejecting("recipient = '" + pattern + "'");
        assertThat(senders.atMail(mail("192.0.2.1", "h", null, address)).matched()).isEqualTo(expected);
        assertThat(recipients.atRcpt(rcpt("a@b.example", address)).matched()).isEqualTo(expected);
    }

    @Test
    void recipientRulesDecidePerRecipientAtRcpt() throws Exception {
        RuleEngine engine = engine("""
                [[rule]]
                name = "review"
                recipient = ["boss@example.com", "@board.example.com"]
                action = "hold"
                """);
        assertThat(engine.atMail(mail("192.0.2.1", "h", null, "a@b.example"))).isEqualTo(Decision.NONE);
        Decision held = engine.atRcpt(rcpt("a@b.example", "BOSS@example.com"));
        assertThat(held.action()).isEqualTo(Decision.Action.HOLD);
        assertThat(held.rule()).isEqualTo("review");
        assertThat(held.holdReason()).isEqualTo("rule review");
        assertThat(held.refuses()).isFalse();
        assertThat(held.refusal()).isEmpty();
        assertThat(engine.atRcpt(rcpt("a@b.example", "x@board.example.com")).action()).isEqualTo(Decision.Action.HOLD);
        assertThat(engine.atRcpt(rcpt("a@b.example", "cfo@example.com"))).isEqualTo(Decision.NONE);
    }

    @Test
    void aRuleMatchesOnlyWhenAllItsMatchersDo() throws Exception {
        RuleEngine engine = rejecting("client = \"192.0.2.0/24\"\nsender = \"@spam.example\"");
        assertThat(engine.atConnect(facts("192.0.2.1"))).isEqualTo(Decision.NONE);
        assertThat(engine.atMail(mail("192.0.2.1", "h", null, "x@spam.example")).matched()).isTrue();
        assertThat(engine.atMail(mail("198.51.100.1", "h", null, "x@spam.example")).matched()).isFalse();
        assertThat(engine.atMail(mail("192.0.2.1", "h", null, "x@ham.example")).matched()).isFalse();
    }

    @Test
    void firstMatchWinsInFileOrder() throws Exception {
        RuleEngine engine = engine("""
                [[rule]]
                name = "partner"
                sender = "@partner.example"
                action = "accept"
                [[rule]]
                name = "no-example"
                sender = "*@*example"
                action = "reject"
                text = "Not from there"
                """);
        Decision partner = engine.atMail(mail("192.0.2.1", "h", null, "a@partner.example"));
        assertThat(partner.action()).isEqualTo(Decision.Action.ACCEPT);
        assertThat(partner.rule()).isEqualTo("partner");
        Decision other = engine.atMail(mail("192.0.2.1", "h", null, "a@other.example"));
        assertThat(other.rule()).isEqualTo("no-example");
        assertThat(other.reply()).isEqualTo("550 5.7.1 Not from there");
        assertThat(other.refusal()).contains(Verdict.permanent(550, "5.7.1", "Not from there"));
    }

    @Test
    void anAcceptAtConnectStopsLaterRulesAtEveryLaterStage() throws Exception {
        RuleEngine engine = engine("""
                [[rule]]
                name = "partner-net"
                client = "198.51.100.0/24"
                action = "accept"
                [[rule]]
                name = "no-spam"
                sender = "@spam.example"
                action = "reject"
                """);
        assertThat(engine.atConnect(facts("198.51.100.7")).action()).isEqualTo(Decision.Action.ACCEPT);
        assertThat(engine.atRcpt(mail("198.51.100.7", "h", null, "x@spam.example")
                .withRecipient(address("y@example.com"))).rule()).isEqualTo("partner-net");
        assertThat(engine.atRcpt(mail("192.0.2.1", "h", null, "x@spam.example")
                .withRecipient(address("y@example.com"))).rule()).isEqualTo("no-spam");
    }

    @Test
    void aLaterClientRuleWaitsWhileAnEarlierRuleMayStillMatch() throws Exception {
        RuleEngine engine = engine("""
                [[rule]]
                name = "partner"
                sender = "@partner.example"
                action = "accept"
                [[rule]]
                name = "bad-client"
                client = "192.0.2.66"
                action = "reject"
                """);
        Facts connect = facts("192.0.2.66");
        assertThat(engine.atConnect(connect)).isEqualTo(Decision.NONE);
        assertThat(engine.atHelo(connect.withHelo("h"))).isEqualTo(Decision.NONE);
        assertThat(engine.atMail(mail("192.0.2.66", "h", null, "a@partner.example")).rule()).isEqualTo("partner");
        Decision refused = engine.atMail(mail("192.0.2.66", "h", null, "a@other.example"));
        assertThat(refused.rule()).isEqualTo("bad-client");
        assertThat(refused.code()).isEqualTo(550); // decided at MAIL, so the configured code, not a greeting's
    }

    @Test
    void anEarlierRuleThatFailedOnAKnownFactDoesNotHoldLaterOnesBack() throws Exception {
        RuleEngine engine = engine("""
                [[rule]]
                name = "partner"
                client = "198.51.100.0/24"
                sender = "@partner.example"
                action = "accept"
                [[rule]]
                name = "bad-client"
                client = "192.0.2.66"
                action = "defer"
                """);
        Decision greeting = engine.atConnect(facts("192.0.2.66"));
        assertThat(greeting.rule()).isEqualTo("bad-client");
        assertThat(greeting.reply()).isEqualTo("421 4.7.1 Try again later");
        assertThat(engine.atConnect(facts("198.51.100.1"))).isEqualTo(Decision.NONE);
    }

    @Test
    void aRejectAtConnectIsA554GreetingAndTheConfiguredReplyLater() throws Exception {
        RuleEngine engine = engine("""
                [[rule]]
                name = "blocked"
                client = "203.0.113.0/24"
                action = "reject"
                code = 550
                enhanced = "5.7.25"
                text = "Blocked network"
                """);
        assertThat(engine.atConnect(facts("203.0.113.5")).reply()).isEqualTo("554 5.7.25 Blocked network");
        assertThat(engine.atHelo(facts("203.0.113.5").withHelo("h")).reply()).isEqualTo("550 5.7.25 Blocked network");
    }

    @Test
    void deferGivesATemporaryVerdict() throws Exception {
        RuleEngine engine = engine("[[rule]]\nname = \"noisy\"\nhelo = \"*.noisy.example\"\naction = \"defer\"\n");
        Decision decision = engine.atHelo(facts("192.0.2.1").withHelo("a.noisy.example"));
        assertThat(decision.refuses()).isTrue();
        assertThat(decision.refusal()).contains(Verdict.temporary(450, "4.7.1", "Try again later"));
    }

    @Test
    void noRulesMeansNoDecisionAnywhere() throws Exception {
        RuleEngine engine = engine("hostname = \"mx.example\"\n");
        assertThat(engine.isEmpty()).isTrue();
        assertThat(engine.atRcpt(rcpt("a@b.example", "c@d.example"))).isEqualTo(Decision.NONE);
        assertThat(Decision.NONE.matched()).isFalse();
        assertThat(Decision.NONE.reply()).isNull();
    }

    @Test
    void anIpv4MappedClientIsTheIpv4Client() throws Exception {
        RuleEngine engine = rejecting("client = \"192.0.2.0/24\"");
        assertThat(engine.atConnect(facts("::ffff:192.0.2.1")).matched()).isTrue();
    }

    @Test
    void aClientWrittenAsTextIsParsedWithoutItsZone() throws Exception {
        RuleEngine engine = rejecting("client = \"fe80::/10\"");
        assertThat(engine.atConnect(Facts.connect("fe80::1%eth0")).matched()).isTrue();
        assertThat(engine.atConnect(Facts.connect("192.0.2.1")).matched()).isFalse();
        assertThatThrownBy(() -> Facts.connect("mx.example.com")).isInstanceOf(IllegalArgumentException.class);
    }
}
