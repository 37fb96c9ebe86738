package dev.tern.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.auth.PasswordHasher;
import dev.tern.config.ConfigException;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.IpNetwork;
import dev.tern.policy.dmarc.PublicSuffixList;
import dev.tern.policy.rules.Facts;
import dev.tern.policy.rules.RuleEngine;
import dev.tern.store.FileDirectory;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One domain, one key: where IDNA2008 and IDNA2003 disagree (ß, final ς, ZWJ kept by 2008; emoji refused
 * by 2008), the config's {@code domains}, a {@code [[rule]]}, {@code tern domain add}, the directory's
 * lookup and the Public Suffix List's organizational domain all name the same A-label.
 */
class IdnaAgreementTest {

    private static final TernConfig DEFAULTS = TernConfig.defaults("mx.test", Path.of("data"));

    @TempDir
    Path dir;

    private TernConfig load(String toml) throws Exception {
        Path file = dir.resolve("tern.toml");
        Files.writeString(file, toml, StandardCharsets.UTF_8);
        return ConfigLoader.load(file, DEFAULTS);
    }

    /** {@code tern ARGS} with the cheap test hasher: "exit N: " and what it printed. */
    private static String tern(String... args) {
        picocli.CommandLine cl = TernCommand.commandLine(PasswordInput.stream(new ByteArrayInputStream(new byte[0])),
                new PasswordHasher(new PasswordHasher.Cost(256, 1, 1)));
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        return "exit " + cl.execute(args) + ": " + out;
    }

    private static Facts rcpt(String recipient) throws Exception {
        return Facts.connect(IpNetwork.parseAddress("192.0.2.1")).withHelo("mx.example.org")
                .withMail(null, Address.parseMailbox("a@example.org", true))
                .withRecipient(Address.parseMailbox(recipient, true));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "faß.de, xn--fa-hia.de, fass.de",                              // IDNA2003 mapped ß to ss
            "βόλος.com, xn--nxasmm1c.com, xn--nxasmq6b.com",              // and final ς to σ
            "क्\u200Dष.example, xn--11b2ezcw70k.example, xn--11b2ezc.example", // and dropped the ZWJ
    })
    void everyPlaceKeysTheDomainAlike(String unicode, String aLabel, String idna2003) throws Exception {
        assertThat(Domain.of(unicode).key()).isEqualTo(aLabel);

        // config `domains` and the directory built from it
        TernConfig config = load("domains = [\"" + unicode + "\"]\n[[rule]]\nname = \"r\"\nrecipient = \"@"
                + unicode + "\"\naction = \"reject\"\n");
        FileDirectory fromConfig = new FileDirectory(dir.resolve("config-data"), config.domains());
        assertThat(fromConfig.domains()).containsExactly(aLabel);
        assertThat(fromConfig.isLocalDomain(Domain.of(aLabel))).isTrue();
        assertThat(fromConfig.isLocalDomain(Domain.of(idna2003))).isFalse();

        // a [[rule]] pattern
        RuleEngine rules = new RuleEngine(config.rules());
        assertThat(rules.atRcpt(rcpt("bob@" + unicode)).matched()).isTrue();
        assertThat(rules.atRcpt(rcpt("bob@" + aLabel)).matched()).isTrue();
        assertThat(rules.atRcpt(rcpt("bob@" + idna2003)).matched()).isFalse();

        // `tern domain add`, and the directory reading what it wrote
        String data = dir.resolve("data").toString();
        assertThat(tern("domain", "add", "--data", data, unicode)).isEqualTo("exit 0: added domain " + aLabel + "\n");
        assertThat(tern("domain", "add", "--data", data, aLabel)).startsWith("exit 1: ").contains("already local");
        assertThat(tern("domain", "list", "--data", data)).contains(aLabel + " (" + unicode + ")");
        FileDirectory added = new FileDirectory(dir.resolve("data"), List.of());
        assertThat(added.isLocalDomain(Domain.of(unicode))).isTrue();
        assertThat(added.isLocalDomain(Domain.of(idna2003))).isFalse();

        // DMARC's organizational domain (RFC 7489 §3.2)
        assertThat(PublicSuffixList.bundled().organizationalDomain("mail." + unicode)).isEqualTo(aLabel);
    }

    /** FASS.de and faß.de are two domains under IDNA2008 (docs/configuration.md, "Domains, users and aliases"). */
    @ParameterizedTest
    @ValueSource(strings = {"FASS.de", "fass.de"})
    void sharpSAndDoubleSAreTwoDomains(String fass) throws Exception {
        String data = dir.resolve("data").toString();
        assertThat(tern("domain", "add", "--data", data, "faß.de")).isEqualTo("exit 0: added domain xn--fa-hia.de\n");
        assertThat(tern("domain", "add", "--data", data, fass)).isEqualTo("exit 0: added domain fass.de\n");
        assertThat(load("domains = [\"faß.de\", \"" + fass + "\"]\n").domains()).hasSize(2);
        assertThatThrownBy(() -> load("domains = [\"faß.de\", \"XN--FA-HIA.de\"]\n"))
                .isInstanceOf(ConfigException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD83D\uDCA9.la", "i\u2764.example"})
    void emojiDomainsAreRefusedEverywhere(String emoji) throws Exception {
        assertThatThrownBy(() -> load("domains = [\"" + emoji + "\"]\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be a domain name");
        assertThatThrownBy(() -> load("[[rule]]\nname = \"r\"\nrecipient = \"@" + emoji + "\"\naction = \"reject\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a valid internationalized name");
        assertThat(tern("domain", "add", "--data", dir.resolve("data").toString(), emoji))
                .startsWith("exit 1: ").contains("invalid domain");
        assertThat(Domain.asciiKey(emoji)).isEmpty();
        // What cannot be converted is compared as written, never as IDNA2003's xn--ls8h.la.
        assertThat(Domain.of(emoji).key()).isEqualTo(emoji);
        assertThat(PublicSuffixList.bundled().organizationalDomain("www." + emoji)).isEqualTo(emoji);
        assertThat(new FileDirectory(dir.resolve("other"), List.of()).isLocalDomain(Domain.of(emoji))).isFalse();
    }
}
