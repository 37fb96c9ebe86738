package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TlsReportReaderTest {

    private static TlsReportSettings read(String toml) throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root == null ? new TomlMapper().createObjectNode() : root);
        return TlsReportReader.read(top, TlsReportSettings.defaults());
    }

    @Test
    void onByDefaultWithNamesFromTheHostname() throws Exception {
        TlsReportSettings d = read("hostname = \"x\"\n");
        assertThat(d).isEqualTo(TlsReportSettings.defaults());
        assertThat(d.enabled()).isTrue();
        assertThat(d.organizationFor("mx.example.org")).isEqualTo("mx.example.org");
        assertThat(d.contactFor("mx.example.org")).isEqualTo("postmaster@mx.example.org");
        assertThat(d.fromFor("example.org")).isEqualTo("postmaster@example.org");
        assertThat(d.maxSendDelay()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void everyKeyIsRead() throws Exception {
        TlsReportSettings s = read("""
                [tls_reports]
                enabled = false
                organization = "Example Mail"
                contact = "https://example.org/tls"
                from = "tls-reports@example.org"
                max_send_delay = "0s"
                max_policy_domains = 5
                max_policies_per_domain = 2
                max_failure_details = 3
                snapshot_interval = "1m"
                https_timeout = "10s"
                https_retries = 0
                https_retry_delay = "1h"
                """);
        assertThat(s).isEqualTo(new TlsReportSettings(false, "Example Mail", "https://example.org/tls",
                "tls-reports@example.org", Duration.ZERO, 5, 2, 3, Duration.ofMinutes(1), Duration.ofSeconds(10), 0,
                Duration.ofHours(1)));
        assertThat(s.organizationFor("mx.example.org")).isEqualTo("Example Mail");
        assertThat(s.fromFor("example.org")).isEqualTo("tls-reports@example.org");
    }

    @Test
    void badValuesAndUnknownKeysAreRefused() {
        assertThatThrownBy(() -> read("[tls_reports]\norganization = \"a\\nb\"\n"))
                .hasMessageStartingWith("tern.toml: tls_reports.organization: must be 1 to 200 characters");
        assertThatThrownBy(() -> read("[tls_reports]\ncontact = \"\"\n"))
                .hasMessageStartingWith("tern.toml: tls_reports.contact: must be 1 to 200 characters");
        assertThatThrownBy(() -> read("[tls_reports]\nmax_send_delay = \"13h\"\n"))
                .hasMessage("tern.toml: tls_reports.max_send_delay: must be between 0s and 12h, got \"13h\"");
        assertThatThrownBy(() -> read("[tls_reports]\nrua = \"mailto:x@example.org\"\n"))
                .hasMessageContaining("tls_reports.rua: unknown key");
    }
}
