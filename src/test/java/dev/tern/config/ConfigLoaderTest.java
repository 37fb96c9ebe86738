package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    private static final TernConfig DEFAULTS = TernConfig.defaults("mx.test", Path.of("data"));

    @TempDir
    Path dir;

    private TernConfig load(String toml) throws IOException, ConfigException {
        Path file = dir.resolve("tern.toml");
        Files.writeString(file, toml, StandardCharsets.UTF_8);
        return ConfigLoader.load(file, DEFAULTS);
    }

    private ConfigException refused(String toml) {
        Throwable t = null;
        try {
            load(toml);
        } catch (Throwable e) {
            t = e;
        }
        assertThat(t).as("expected the file to be refused").isInstanceOf(ConfigException.class);
        return (ConfigException) t;
    }

    @Test
    void theExampleFileLoads() throws ConfigException {
        TernConfig config = ConfigLoader.load(Path.of("examples", "tern.toml"), DEFAULTS);
        assertThat(config.hostname()).isEqualTo("mail.example.com");
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/tern"));
        assertThat(config.domains()).containsExactly("example.com", "example.org");
        assertThat(config.listeners()).extracting(ListenerSettings::role).containsExactly(
                ListenerSettings.Role.MX, ListenerSettings.Role.SUBMISSION, ListenerSettings.Role.SUBMISSIONS);
        assertThat(config.limits()).isEqualTo(SmtpLimits.defaults());
        assertThat(config.queue()).isEqualTo(QueueSettings.defaults());
    }

    @Test
    void anEmptyFileKeepsEveryDefault() throws Exception {
        assertThat(load("# nothing here\n")).isEqualTo(DEFAULTS);
    }

    @Test
    void everyLimitAndQueueKeyIsRead() throws Exception {
        TernConfig config = load("""
                [limits]
                max_command_line = 1024
                max_text_line = "2KiB"
                max_message_size = "10MB"
                max_recipients = 500
                max_errors = 3
                command_timeout = "2m"
                data_timeout = "90s"
                session_timeout = "1h"
                max_connections = 200
                max_connections_per_client = 5
                bare_line_endings = "normalize"
                write_timeout = "1m"
                recipient_overshoot = 50
                min_command_rate = 8
                command_rate_grace = "20s"
                stress_threshold = 60
                stress_command_timeout = "5s"
                stress_data_timeout = "15s"
                max_header_size = "256KiB"
                max_received_headers = 30
                [queue]
                retry_initial = "1m"
                retry_max = "2h"
                lifetime = "3d"
                """);
        assertThat(config.limits()).isEqualTo(new SmtpLimits(1024, 2048, 10_000_000L, 500, 3,
                Duration.ofMinutes(2), Duration.ofSeconds(90), Duration.ofHours(1), 200, 5,
                SmtpLimits.BareLineEndings.NORMALIZE, Duration.ofMinutes(1), 50, 8, Duration.ofSeconds(20), 60,
                Duration.ofSeconds(5), Duration.ofSeconds(15), 256 * 1024, 30));
        assertThat(config.queue()).isEqualTo(new QueueSettings(Duration.ofMinutes(1), Duration.ofHours(2),
                Duration.ofDays(3)));
    }

    @Test
    void absentKeysInATableKeepTheirDefaults() throws Exception {
        TernConfig config = load("[limits]\nmax_recipients = 7\n");
        assertThat(config.limits().maxRecipients()).isEqualTo(7);
        assertThat(config.limits().maxCommandLine()).isEqualTo(512);
        assertThat(config.limits().commandTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aSmallMessageSizeLowersTheDefaultHeaderSize() throws Exception {
        assertThat(load("[limits]\nmax_message_size = \"100KiB\"\n").limits().maxHeaderSize()).isEqualTo(100 * 1024);
        assertThat(load("[limits]\nmax_recipients = 7\n").limits().maxHeaderSize()).isEqualTo(1024 * 1024);
    }

    @Test
    void listenerDefaultsFollowTheRole() throws Exception {
        TernConfig config = load("""
                [[listener]]
                role = "submission"
                [[listener]]
                role = "submissions"
                name = "tls"
                address = "::1"
                """);
        assertThat(config.listeners()).containsExactly(
                new ListenerSettings("submission", ListenerSettings.Role.SUBMISSION, "127.0.0.1", 587),
                new ListenerSettings("tls", ListenerSettings.Role.SUBMISSIONS, "::1", 465));
    }

    @Test
    void aListenerBehindAProxyKnowsWhichNetworksMaySendTheHeader() throws Exception {
        TernConfig config = load("""
                [[listener]]
                proxy_protocol = true
                proxy_networks = ["10.0.0.0/8", "2001:db8::5"]
                proxy_timeout = "2s"
                """);
        ListenerSettings.Proxy proxy = config.listeners().get(0).proxy();
        assertThat(proxy.enabled()).isTrue();
        assertThat(proxy.timeout()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(proxy.trusts(java.net.InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(proxy.trusts(java.net.InetAddress.getByName("2001:db8::5"))).isTrue();
        assertThat(proxy.trusts(java.net.InetAddress.getByName("192.0.2.1"))).isFalse();
        assertThat(load("[[listener]]\n").listeners().get(0).proxy()).isEqualTo(ListenerSettings.Proxy.NONE);
    }

    @Test
    void aRelativeDataDirIsRelativeToTheFile() throws Exception {
        assertThat(load("data_dir = \"state\"\n").dataDir()).isEqualTo(dir.toAbsolutePath().resolve("state"));
    }

    @Test
    void domainsAreLowerCasedAndIdnAware() throws Exception {
        assertThat(load("domains = [\"Example.COM\", \"bücher.example\"]\n").domains())
                .containsExactly("example.com", "bücher.example");
        assertThat(refused("domains = [\"bücher.example\", \"xn--bcher-kva.example\"]\n").reason())
                .contains("listed twice");
    }

    @Test
    void theBriefsExampleMessageIsExact() {
        ConfigException e = refused("[limits]\nmax_recipients = 0\n");
        assertThat(e.getMessage()).isEqualTo(
                dir.resolve("tern.toml") + ": limits.max_recipients: must be between 1 and 100000, got 0");
        assertThat(e.key()).isEqualTo("limits.max_recipients");
        assertThat(e.file()).isEqualTo(dir.resolve("tern.toml").toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top-level key      | colour = "blue"                              | colour                      | unknown key
            unknown key in a table     | [limits]\\nmax_recipents = 5                 | limits.max_recipents        | unknown key
            unknown table              | [colours]\\ncert = "x"                       | colours                     | unknown key
            unknown key in [tls]       | [tls]\\ncert = "x"                           | tls.cert                    | unknown key
            unknown listener key       | [[listener]]\\nprot = 25                     | listener[0].prot            | unknown key
            command line below 512     | [limits]\\nmax_command_line = 511            | limits.max_command_line     | between 512 and 64KiB
            text line below 1000       | [limits]\\nmax_text_line = 999               | limits.max_text_line        | between 1000 and 1MiB
            message size below 64K     | [limits]\\nmax_message_size = "1KiB"         | limits.max_message_size     | between 64KiB
            size with a bad unit       | [limits]\\nmax_message_size = "5 parsecs"    | limits.max_message_size     | must be a size
            size as a float            | [limits]\\nmax_message_size = 1.5            | limits.max_message_size     | must be a size
            integer given as string    | [limits]\\nmax_recipients = "5"              | limits.max_recipients       | must be an integer
            duration without a unit    | [limits]\\ncommand_timeout = "300"           | limits.command_timeout      | must be a duration
            duration as an integer     | [limits]\\ncommand_timeout = 300             | limits.command_timeout      | must be a duration
            duration too short         | [limits]\\ndata_timeout = "0s"               | limits.data_timeout         | between 1s and 1d
            per-client over total      | [limits]\\nmax_connections = 5\\nmax_connections_per_client = 6 | limits.max_connections_per_client | must not exceed limits.max_connections (5)
            header size below 64K      | [limits]\\nmax_header_size = "1KiB"          | limits.max_header_size      | between 64KiB
            header over message size   | [limits]\\nmax_message_size = "100KiB"\\nmax_header_size = "1MiB" | limits.max_header_size | must not exceed limits.max_message_size
            received limit below 10    | [limits]\\nmax_received_headers = 9        | limits.max_received_headers | between 10 and 10000
            bad leniency               | [limits]\\nbare_line_endings = "fix"         | limits.bare_line_endings    | must be one of "reject", "normalize"
            retry max below initial    | [queue]\\nretry_initial = "1h"\\nretry_max = "5m" | queue.retry_max         | must not be shorter than queue.retry_initial
            old delivery threads       | [queue]\\ndelivery_threads = 4               | queue.delivery_threads      | is no longer used: local deliveries are bounded by delivery.local_delivery_threads
            port out of range          | [[listener]]\\nport = 65536                  | listener[0].port            | between 0 and 65535
            negative port              | [[listener]]\\nport = -1                     | listener[0].port            | between 0 and 65535
            bad role                   | [[listener]]\\nrole = "pop3"                 | listener[0].role            | must be one of "mx", "submission", "submissions"
            bad address                | [[listener]]\\naddress = "localhost"         | listener[0].address         | IPv4 or IPv6
            bad IPv4 address           | [[listener]]\\naddress = "256.1.1.1"         | listener[0].address         | IPv4 or IPv6
            bad IPv6 address           | [[listener]]\\naddress = "::g"               | listener[0].address         | IPv4 or IPv6
            duplicate listener name    | [[listener]]\\nport = 25\\n[[listener]]\\nport = 26 | listener[1].name        | already the name of listener[0].name
            same address and port      | [[listener]]\\nname = "a"\\n[[listener]]\\nname = "b" | listener[1].port      | already used by listener[0].port
            proxy without networks     | [[listener]]\\nproxy_protocol = true        | listener[0].proxy_networks  | must name the proxies
            proxy networks alone       | [[listener]]\\nproxy_networks = ["10.0.0.0/8"] | listener[0].proxy_networks | only read with proxy_protocol = true
            proxy timeout alone        | [[listener]]\\nproxy_timeout = "3s"          | listener[0].proxy_timeout   | only read with proxy_protocol = true
            bad proxy network          | [[listener]]\\nproxy_protocol = true\\nproxy_networks = ["10.0.0.0/33"] | listener[0].proxy_networks | 10.0.0.0/33
            proxy timeout too long     | [[listener]]\\nproxy_protocol = true\\nproxy_networks = ["10.0.0.1"]\\nproxy_timeout = "1h" | listener[0].proxy_timeout | must be between 100ms and 5m
            listener not a table array | listener = 5                                 | listener                    | array of tables
            bad hostname               | hostname = "mail_1.example"                  | hostname                    | must be a host name
            hostname with empty label  | hostname = "mail..example"                   | hostname                    | must be a host name
            bad domain                 | domains = ["ex ample.com"]                   | domains                     | must be a domain name
            domain literal             | domains = ["[127.0.0.1]"]                    | domains                     | not an address literal
            domains not strings        | domains = [1, 2]                             | domains                     | array of strings
            limits not a table         | limits = 5                                   | limits                      | must be a table
            empty data dir             | data_dir = ""                                | data_dir                    | must be a directory path
            """)
    void everyErrorNamesFileKeyAndReason(String what, String toml, String key, String reason) {
        ConfigException e = refused(toml.replace("\\n", "\n"));
        assertThat(e.key()).as(what).isEqualTo(key);
        assertThat(e.reason()).as(what).contains(reason);
        assertThat(e.getMessage()).as(what).startsWith(dir.resolve("tern.toml") + ": " + key + ": ");
    }

    @Test
    void badSyntaxNamesTheFileAndLine() {
        ConfigException e = refused("hostname = \"a\"\n\nlimits = ]\n");
        assertThat(e.key()).isNull();
        assertThat(e.getMessage()).startsWith(dir.resolve("tern.toml") + ": not valid TOML at line 3");
    }

    @Test
    void duplicateKeysAreSyntaxErrors() {
        assertThat(refused("hostname = \"a\"\nhostname = \"b\"\n").reason()).startsWith("not valid TOML");
    }

    @Test
    void aMissingFileIsReported() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.toml"), DEFAULTS))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("absent.toml") + ": no such file");
    }

    @Test
    void zeroListenersAreRefused() {
        assertThat(refused("listener = []\n").reason()).contains("at least one");
    }

    @Test
    void defaultsListIsUntouchedWhenListenersAreGiven() throws Exception {
        List<ListenerSettings> listeners = load("[[listener]]\nport = 2526\n").listeners();
        assertThat(listeners).containsExactly(new ListenerSettings("mx", ListenerSettings.Role.MX, "127.0.0.1", 2526));
    }

    @Test
    void theDkimTableIsRead() throws Exception {
        DkimSettings dkim = load("[dkim]\nsign = false\nverify = false\nsignature_lifetime = \"7d\"\n").dkim();
        assertThat(dkim.sign()).isFalse();
        assertThat(dkim.verify()).isFalse();
        assertThat(dkim.signatureLifetime()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(load("hostname = \"mx.example.com\"\n").dkim()).isEqualTo(DkimSettings.defaults());
        assertThat(refused("[dkim]\nsing = true\n").getMessage()).contains("sing");
    }
}
