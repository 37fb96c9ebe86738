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

/** Loading the file; the refusals that are one file and one message each live in BadConfigsTest. */
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
