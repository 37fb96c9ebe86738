package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.tern.config.RateLimitSettings.Limit;
import dev.tern.mail.IpNetwork;
import org.junit.jupiter.api.Test;

class RateLimitReaderTest {

    private static RateLimitSettings read(String toml) throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root == null ? new TomlMapper().createObjectNode() : root);
        return RateLimitReader.read(top, RateLimitSettings.defaults());
    }

    @Test
    void withoutTheTableTheDefaultsHold() throws Exception {
        RateLimitSettings d = read("hostname = \"x\"\n");
        assertThat(d).isEqualTo(RateLimitSettings.defaults());
        assertThat(d.limit(Limit.CLIENT_CONNECTIONS)).isEqualTo(60);
        assertThat(d.limit(Limit.USER_MESSAGES_DAY)).isEqualTo(1000);
        assertThat(d.ipv6Prefix()).isEqualTo(64);
        assertThat(d.exemptLoopback()).isTrue();
    }

    @Test
    void keysAndOverridesAreRead() throws Exception {
        RateLimitSettings s = read("""
                [rate_limits]
                max_tracked = 5000
                ipv4_prefix = 24
                exempt_loopback = false
                client_messages_per_hour = 0
                user_recipients_per_day = 300
                [[rate_limits.override]]
                network = "192.0.2.0/24"
                client_connections_per_minute = 600
                [[rate_limits.override]]
                user = "newsletter@example.com"
                user_messages_per_day = 20000
                """);
        assertThat(s.maxTracked()).isEqualTo(5000);
        assertThat(s.ipv4Prefix()).isEqualTo(24);
        assertThat(s.exemptLoopback()).isFalse();
        assertThat(s.limit(Limit.CLIENT_MESSAGES)).isZero();
        assertThat(s.limit(Limit.USER_RECIPIENTS_DAY)).isEqualTo(300);
        assertThat(s.limit(Limit.USER_RECIPIENTS_HOUR)).isEqualTo(1000);
        assertThat(s.overrides()).hasSize(2);
        assertThat(s.overrides().get(0).network()).isEqualTo(IpNetwork.parse("192.0.2.0/24"));
        assertThat(s.overrides().get(0).limits()).containsExactlyEntriesOf(java.util.Map.of(Limit.CLIENT_CONNECTIONS, 600));
        assertThat(s.overrides().get(1).user()).isEqualTo("newsletter@example.com");
    }

    @Test
    void badValuesAndOverridesAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> read("[rate_limits]\nclient_messages_per_hour = -1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rate_limits.client_messages_per_hour");
        assertThatThrownBy(() -> read("[rate_limits]\nipv6_prefix = 129\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rate_limits.ipv6_prefix");
        assertThatThrownBy(() -> read("[rate_limits]\nclient_messages_per_day = 1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rate_limits.client_messages_per_day")
                .hasMessageContaining("unknown key");
        assertThatThrownBy(() -> read("[[rate_limits.override]]\nnetwork = \"10.1.2.3/8\"\nclient_messages_per_hour = 1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rate_limits.override[0].network");
        assertThatThrownBy(() -> read("[[rate_limits.override]]\nnetwork = \"10.0.0.0/8\"\nuser = \"a\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("either a network or a user");
        assertThatThrownBy(() -> read("[[rate_limits.override]]\nuser = \"a\"\nclient_messages_per_hour = 1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("override[0].client_messages_per_hour")
                .hasMessageContaining("only user_* limits");
        assertThatThrownBy(() -> read("[[rate_limits.override]]\nnetwork = \"10.0.0.0/8\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sets no limit");
        assertThatThrownBy(() -> read("[[rate_limits.override]]\nuser = \"A\"\nuser_messages_per_day = 1\n"
                + "[[rate_limits.override]]\nuser = \"a\"\nuser_messages_per_hour = 1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("override[1].user")
                .hasMessageContaining("has an override already");
        assertThatThrownBy(() -> read("[[rate_limits.override]]\nuser = \"a\"\nuser_messages_per_day = 1\nwhy = 1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("override[0].why");
    }
}
