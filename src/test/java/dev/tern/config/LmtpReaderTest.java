package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.tern.mail.Domain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LmtpReaderTest {

    private static LmtpSettings read(String toml) throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root == null ? new TomlMapper().createObjectNode() : root);
        return LmtpReader.read(top, Path.of("/etc/tern"), LmtpSettings.defaults());
    }

    @Test
    void offByDefault() throws Exception {
        LmtpSettings d = read("hostname = \"x\"\n");
        assertThat(d).isEqualTo(LmtpSettings.defaults());
        assertThat(d.enabled()).isFalse();
        assertThat(d.serves(Domain.of("example.com"))).isFalse();
        assertThat(d.rcptCheck()).isFalse();
        assertThat(d.dataTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aSocketForSomeDomains() throws Exception {
        LmtpSettings s = read("[lmtp]\nsocket = \"/var/run/dovecot/lmtp\"\ndomains = [\"Example.COM\", \"bücher.example\"]\n"
                + "rcpt_check = true\nrcpt_check_timeout = \"3s\"\nrcpt_check_connections = 0\n");
        assertThat(s.socket()).isEqualTo(Path.of("/var/run/dovecot/lmtp"));
        assertThat(s.host()).isNull();
        assertThat(s.domains()).containsExactly("example.com", "xn--bcher-kva.example");
        assertThat(s.serves(Domain.of("example.com"))).isTrue();
        assertThat(s.serves(Domain.of("BÜCHER.example"))).isTrue();
        assertThat(s.serves(Domain.of("other.example"))).isFalse();
        assertThat(s.rcptCheck()).isTrue();
        assertThat(s.rcptCheckTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.rcptCheckConnections()).isZero();
        assertThat(read("[lmtp]\nsocket = \"run/lmtp\"\n").socket()).isEqualTo(Path.of("/etc/tern/run/lmtp"));
    }

    @Test
    void anAddressForEveryLocalDomain() throws Exception {
        LmtpSettings s = read("[lmtp]\naddress = \"127.0.0.1:24\"\n");
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(24);
        assertThat(s.serves(Domain.of("anything.example"))).isTrue();
        assertThat(read("[lmtp]\naddress = \"[::1]:2424\"\n").host()).isEqualTo("::1");
        assertThat(read("[lmtp]\naddress = \"mail.internal:24\"\n").host()).isEqualTo("mail.internal");
    }

    @Test
    void badValuesAreRefusedWithTheKey() {
        assertThatThrownBy(() -> read("[lmtp]\naddress = \"::1:24\"\n")).hasMessageContaining("lmtp.address");
        assertThatThrownBy(() -> read("[lmtp]\naddress = \"127.0.0.1:0\"\n")).hasMessageContaining("lmtp.address");
        assertThatThrownBy(() -> read("[lmtp]\nsocket = \"/s\"\ndata_timeout = \"0s\"\n"))
                .hasMessageContaining("lmtp.data_timeout");
        assertThatThrownBy(() -> read("[lmtp]\nsocket = \"/s\"\nrcpt_check_connections = 101\n"))
                .hasMessageContaining("lmtp.rcpt_check_connections");
        assertThatThrownBy(() -> read("[lmtp]\ndomains = [\"[192.0.2.1]\"]\n")).hasMessageContaining("lmtp.domains");
    }

    @Test
    void theConfigurationCarriesIt() {
        TernConfig config = TernConfig.defaults("mx.example.com", Path.of("data"));
        assertThat(config.lmtp()).isEqualTo(LmtpSettings.defaults());
        LmtpSettings on = LmtpSettings.defaults().withSocket(Path.of("/run/lmtp"), List.of());
        assertThat(config.withLmtp(on).lmtp()).isEqualTo(on);
        assertThat(config.withLmtp(on).withMetrics(MetricsSettings.defaults()).lmtp()).isEqualTo(on);
    }
}
