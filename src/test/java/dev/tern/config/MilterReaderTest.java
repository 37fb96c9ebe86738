package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MilterReaderTest {

    private static final TernConfig DEFAULTS = TernConfig.defaults("mx.test", Path.of("data"));

    @TempDir
    Path dir;

    private List<MilterSettings> load(String toml) throws IOException, ConfigException {
        Path file = dir.resolve("tern.toml");
        Files.writeString(file, toml, StandardCharsets.UTF_8);
        return ConfigLoader.load(file, DEFAULTS).milters();
    }

    private ConfigException refused(String toml) throws IOException {
        try {
            load(toml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected the file to be refused");
    }

    @Test
    void noMiltersByDefault() throws Exception {
        assertThat(load("")).isEmpty();
    }

    @Test
    void aMilterWithOnlyItsAddressGetsPostfixsDefaults() throws Exception {
        MilterSettings m = load("[[milter]]\naddress = \"inet:127.0.0.1:11332\"\n").get(0);

        assertThat(m.name()).isEqualTo("milter-1");
        assertThat(m.address()).isEqualTo(new MilterSettings.Address("127.0.0.1", 11332, null));
        assertThat(m.defaultAction()).isEqualTo(MilterSettings.DefaultAction.TEMPFAIL);
        assertThat(m.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(m.commandTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(m.contentTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(m.eomTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(m.appliesTo("mx")).isTrue();
    }

    @Test
    void everyKeyIsRead() throws Exception {
        List<MilterSettings> milters = load("""
                [[milter]]
                name = "rspamd"
                address = "inet:[::1]:11332"
                listeners = ["mx"]
                default_action = "accept"
                connect_timeout = "5s"
                command_timeout = "10s"
                content_timeout = "1m"
                eom_timeout = "2m"

                [[milter]]
                name = "opendkim"
                address = "unix:/run/opendkim/opendkim.sock"
                listeners = ["submission", "submissions"]
                """);

        assertThat(milters).extracting(MilterSettings::name).containsExactly("rspamd", "opendkim");
        MilterSettings rspamd = milters.get(0);
        assertThat(rspamd.address().host()).isEqualTo("::1");
        assertThat(rspamd.address().toString()).isEqualTo("inet:[::1]:11332");
        assertThat(rspamd.defaultAction()).isEqualTo(MilterSettings.DefaultAction.ACCEPT);
        assertThat(rspamd.eomTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(rspamd.appliesTo("submission")).isFalse();
        assertThat(milters.get(1).address().unix()).isEqualTo(Path.of("/run/opendkim/opendkim.sock"));
        assertThat(milters.get(1).appliesTo("mx")).isFalse();
    }

    @Test
    void badValuesAreRefusedWithTheKey() throws Exception {
        ConfigException missing = refused("[[milter]]\nname = \"x\"\n");
        assertThat(missing.key()).isEqualTo("milter[0].address");
        assertThat(missing.reason()).startsWith("is required");
        assertThat(refused("[[milter]]\naddress = \"127.0.0.1:11332\"\n").reason())
                .contains("must be \"inet:host:port\" or \"unix:/path\"");
        assertThat(refused("[[milter]]\naddress = \"inet:127.0.0.1:0\"\n").reason()).contains("port must be 1 to 65535");
        assertThat(refused("[[milter]]\naddress = \"inet:::1:25\"\n").reason()).contains("unbracketed IPv6");
        assertThat(refused("[[milter]]\naddress = \"inet:a:1\"\nlisteners = [\"nope\"]\n").reason())
                .contains("names no listener: \"nope\"");
        assertThat(refused("[[milter]]\naddress = \"inet:a:1\"\ndefault_action = \"discard\"\n").key())
                .isEqualTo("milter[0].default_action");
        assertThat(refused("[[milter]]\naddress = \"inet:a:1\"\n[[milter]]\naddress = \"inet:b:1\"\nname = \"milter-1\"\n")
                .reason()).contains("already the name");
        assertThat(refused("[[milter]]\naddress = \"inet:a:1\"\ntimeout = \"1s\"\n").key()).isEqualTo("milter[0].timeout");
    }
}
