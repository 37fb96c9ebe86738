package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.tern.config.DeliverySettings.AddressFamilies;
import dev.tern.config.DeliverySettings.AttemptLimits;
import dev.tern.config.DeliverySettings.DomainRoute;
import dev.tern.config.DeliverySettings.Relayhost;
import dev.tern.config.DeliverySettings.TlsPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryReaderTest {

    @TempDir
    Path dir;

    static Section top(String text) throws Exception {
        TomlMapper toml = new TomlMapper();
        var tree = toml.readTree(text);
        ObjectNode node = tree instanceof ObjectNode o ? o : toml.createObjectNode();
        return new Section("tern.toml", "", node);
    }

    private static DeliverySettings read(String toml) throws Exception {
        Section top = top(toml);
        DeliverySettings settings = DeliveryReader.read(top, DeliverySettings.defaults());
        top.refuseUnknown();
        return settings;
    }

    private static String refused(String toml) {
        Throwable t = null;
        try {
            read(toml);
        } catch (Throwable e) {
            t = e;
        }
        assertThat(t).isInstanceOf(ConfigException.class);
        return t.getMessage();
    }

    @Test
    void noDeliveryTableKeepsTheDefaults() throws Exception {
        DeliverySettings d = read("");
        assertThat(d).isEqualTo(DeliverySettings.defaults());
        assertThat(d.tls()).isEqualTo(TlsPolicy.MAY);
        assertThat(d.maxPerDestination()).isEqualTo(20);
        assertThat(d.maxConnections()).isEqualTo(100);
        assertThat(d.relayhost()).isNull();
        assertThat(d.mxPort()).isEqualTo(25);
    }

    @Test
    void everyKeyIsRead() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        DeliverySettings d = read("""
                [delivery]
                connect_timeout = "10s"
                command_timeout = "2m"
                data_init_timeout = "1m"
                data_block_timeout = "90s"
                data_done_timeout = "5m"
                max_connections = 50
                max_per_destination = 5
                reuse_time = "0s"
                address_preference = "ipv6-first"
                tls = "encrypt"
                ca_file = "%s"
                mx_port = 2525
                attempt_timeout = "15m"
                max_addresses_per_attempt = 8
                max_sessions_per_attempt = 3
                local_delivery_threads = 7
                """.formatted(ca.toString().replace("\\", "\\\\")));
        assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.commandTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(d.dataInitTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.dataBlockTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(d.dataDoneTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.maxConnections()).isEqualTo(50);
        assertThat(d.maxPerDestination()).isEqualTo(5);
        assertThat(d.reuseTime()).isZero();
        assertThat(d.addresses()).isEqualTo(AddressFamilies.IPV6_FIRST);
        assertThat(d.tls()).isEqualTo(TlsPolicy.ENCRYPT);
        assertThat(d.caFile()).isEqualTo(ca);
        assertThat(d.mxPort()).isEqualTo(2525);
        assertThat(d.attempts()).isEqualTo(new AttemptLimits(Duration.ofMinutes(15), 8, 3));
        assertThat(d.localThreads()).isEqualTo(7);
    }

    @Test
    void attemptLimitsHaveDefaultsAndRanges() throws Exception {
        assertThat(read("").attempts()).isEqualTo(new AttemptLimits(Duration.ofMinutes(20), 5, 2));
        assertThat(read("").localThreads()).isEqualTo(20);
        assertThat(refused("[delivery]\nattempt_timeout = \"0s\"\n"))
                .contains("delivery.attempt_timeout: must be between 1s and 1d");
        assertThat(refused("[delivery]\nconnect_timeout = \"1m\"\nattempt_timeout = \"30s\"\n"))
                .contains("delivery.attempt_timeout: must not be shorter than delivery.connect_timeout (1m)");
        assertThat(refused("[delivery]\nmax_addresses_per_attempt = 0\n"))
                .contains("delivery.max_addresses_per_attempt: must be between 1 and 100");
        assertThat(refused("[delivery]\nmax_sessions_per_attempt = 101\n"))
                .contains("delivery.max_sessions_per_attempt: must be between 1 and 100");
        assertThat(refused("[delivery]\nlocal_delivery_threads = 0\n"))
                .contains("delivery.local_delivery_threads: must be between 1 and 10000");
    }

    private static final String RELAY_WITH_CREDENTIALS = """
            [delivery.relayhost]
            host = "smtp.provider.example"
            port = 587
            username = "me@example.com"
            password = "s3cret"
            """;

    @Test
    void relayhostCredentialsGoOnlyOverVerifiedTlsByDefault() throws Exception {
        assertThat(read(RELAY_WITH_CREDENTIALS).relayhost().tls()).isEqualTo(TlsPolicy.VERIFY);
        // The [delivery] default does not weaken it either.
        assertThat(read("[delivery]\ntls = \"may\"\n" + RELAY_WITH_CREDENTIALS).relayhost().tls())
                .isEqualTo(TlsPolicy.VERIFY);
        assertThat(read(RELAY_WITH_CREDENTIALS + "tls = \"verify\"\n").relayhost().tls()).isEqualTo(TlsPolicy.VERIFY);
        // Without credentials nothing changes: the relay host follows the [delivery] policy.
        assertThat(read("[delivery.relayhost]\nhost = \"r.example\"\n").relayhost().tls()).isNull();
    }

    @Test
    void relayhostCredentialsOverUnverifiedTlsAreRefusedUnlessAllowedByName() throws Exception {
        for (String weak : new String[] {"may", "encrypt"}) {
            assertThat(refused(RELAY_WITH_CREDENTIALS + "tls = \"" + weak + "\"\n"))
                    .contains("delivery.relayhost.tls: is \"" + weak + "\" but a username is set")
                    .contains("delivery.relayhost.allow_unverified_tls_auth = true");
            TlsPolicy allowed = read(RELAY_WITH_CREDENTIALS + "tls = \"" + weak + "\"\nallow_unverified_tls_auth = true\n")
                    .relayhost().tls();
            assertThat(allowed).isEqualTo(TlsPolicy.valueOf(weak.toUpperCase(java.util.Locale.ROOT)));
        }
        assertThat(refused(RELAY_WITH_CREDENTIALS + "tls = \"none\"\nallow_unverified_tls_auth = true\n"))
                .contains("delivery.relayhost.tls: must not be \"none\" when a username is set");
        assertThat(refused("[delivery.relayhost]\nhost = \"r.example\"\nallow_unverified_tls_auth = true\n"))
                .contains("delivery.relayhost.allow_unverified_tls_auth: needs a username");
        assertThat(refused(RELAY_WITH_CREDENTIALS + "allow_unverified_tls_auth = \"yes\"\n"))
                .contains("delivery.relayhost.allow_unverified_tls_auth: must be true or false");
    }

    @Test
    void relayhostWithAPasswordFile() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "s3cret\n", StandardCharsets.UTF_8);
        DeliverySettings d = read("""
                [delivery.relayhost]
                host = "smtp.provider.example"
                port = 587
                tls = "verify"
                username = "me@example.com"
                password_file = "%s"
                """.formatted(secret.toString().replace("\\", "\\\\")));
        assertThat(d.relayhost()).isEqualTo(new Relayhost("smtp.provider.example", 587, TlsPolicy.VERIFY,
                "me@example.com", "s3cret"));
        assertThat(d.relayhost().toString()).doesNotContain("s3cret");
    }

    @Test
    void routesAndTlsPoliciesAreKeyedByTheDomainsAsciiForm() throws Exception {
        DeliverySettings d = read("""
                [[delivery.route]]
                domain = "Bücher.example"
                host = "192.0.2.7"
                port = 2525
                tls = "none"

                [[delivery.tls_policy]]
                domain = "bank.example"
                policy = "verify"
                """);
        assertThat(d.routeFor("xn--bcher-kva.example"))
                .isEqualTo(new DomainRoute("Bücher.example", "192.0.2.7", 2525, TlsPolicy.NONE));
        assertThat(d.tlsFor("bank.example")).isEqualTo(TlsPolicy.VERIFY);
        assertThat(d.tlsFor("other.example")).isEqualTo(TlsPolicy.MAY);
    }

    @Test
    void mistakesAreRefusedWithTheKey() {
        assertThat(refused("[delivery]\nmax_conections = 3\n")).contains("delivery.max_conections: unknown key");
        assertThat(refused("[delivery]\ntls = \"maybe\"\n")).contains("delivery.tls: must be one of");
        assertThat(refused("[delivery]\naddress_preference = \"ipv4\"\n"))
                .contains("delivery.address_preference: must be one of \"ipv4-only\"");
        assertThat(refused("[delivery]\nmax_connections = 5\nmax_per_destination = 6\n"))
                .contains("delivery.max_per_destination: must not exceed");
        assertThat(refused("[delivery]\nca_file = \"relative.pem\"\n")).contains("delivery.ca_file: must be an absolute");
        assertThat(refused("[delivery]\nmx_port = 0\n")).contains("delivery.mx_port: must be between 1 and 65535");
        assertThat(refused("[delivery.relayhost]\nport = 25\n")).contains("delivery.relayhost.host: is required");
        assertThat(refused("[delivery.relayhost]\nhost = \"a b\"\n")).contains("delivery.relayhost.host: must be");
        assertThat(refused("[delivery.relayhost]\nhost = \"r.example\"\nusername = \"u\"\n"))
                .contains("delivery.relayhost.username: needs a password");
        assertThat(refused("[delivery.relayhost]\nhost = \"r.example\"\npassword = \"p\"\n"))
                .contains("delivery.relayhost.password: needs a username");
        assertThat(refused("[delivery.relayhost]\nhost = \"r.example\"\nusername = \"u\"\npassword = \"p\"\ntls = \"none\"\n"))
                .contains("delivery.relayhost.tls: must not be \"none\"");
        assertThat(refused("[[delivery.route]]\ndomain = \"a.example\"\nhost = \"h\"\n[[delivery.route]]\ndomain = \"A.example\"\nhost = \"h\"\n"))
                .contains("delivery.route[1].domain: \"A.example\" has another route");
        assertThat(refused("[[delivery.tls_policy]]\ndomain = \"a.example\"\n"))
                .contains("delivery.tls_policy[0].policy: is required");
        assertThat(refused("[[delivery.route]]\ndomain = \"a.example\"\nhost = \"h\"\nmx = 1\n"))
                .contains("delivery.route[0].mx: unknown key");
    }

    @Test
    void everyKeyIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("docs", "config-delivery.md"));
        for (String key : new String[] {"connect_timeout", "command_timeout", "data_init_timeout",
                "data_block_timeout", "data_done_timeout", "max_connections", "max_per_destination", "reuse_time",
                "address_preference", "tls", "ca_file", "mx_port", "attempt_timeout", "max_addresses_per_attempt",
                "max_sessions_per_attempt", "local_delivery_threads", "allow_unverified_tls_auth", "host", "port", "username", "password", "password_file",
                "domain", "policy", "servers", "timeout", "retries", "[delivery.relayhost]", "[[delivery.route]]",
                "[[delivery.tls_policy]]"}) {
            assertThat(docs).as(key).contains("| `" + key + "` |");
        }
    }
}
