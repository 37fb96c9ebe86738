package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcmeReaderTest {

    private static AcmeSettings read(String toml) throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root);
        AcmeSettings settings = AcmeReader.read(top, Path.of("/etc/tern"), AcmeSettings.defaults());
        top.refuseUnknown();
        return settings;
    }

    @Test
    void withoutTheTableAcmeIsOff() throws Exception {
        assertThat(read("").enabled()).isFalse();
        assertThat(read("[acme]\n").enabled()).isFalse();
        assertThat(read("[acme]\nhttp_port = 8080\n").enabled()).isFalse(); // as `tern config defaults` prints it
        assertThat(AcmeSettings.defaults().namesOr("mx.example.com")).containsExactly("mx.example.com");
    }

    @Test
    void everyKeyIsRead() throws Exception {
        AcmeSettings settings = read("""
                [acme]
                directory = "https://acme.example.net/directory"
                accept_terms = true
                email = "postmaster@example.com"
                names = ["MX.example.com", "smtp.example.com"]
                http_address = "::"
                http_port = 8080
                renew_before = "20d"
                check_interval = "1h"
                ca_certificates = "private-ca.pem"
                """);
        assertThat(settings).isEqualTo(new AcmeSettings(URI.create("https://acme.example.net/directory"),
                "postmaster@example.com", List.of("mx.example.com", "smtp.example.com"), "::", 8080,
                Duration.ofDays(20), Duration.ofHours(1), Path.of("/etc/tern/private-ca.pem")));
    }

    @Test
    void letsEncryptHasShortNames() throws Exception {
        assertThat(read("[acme]\ndirectory = \"letsencrypt\"\naccept_terms = true\n").directory())
                .isEqualTo(AcmeSettings.LETS_ENCRYPT);
        assertThat(read("[acme]\ndirectory = \"letsencrypt-staging\"\naccept_terms = true\n").directory())
                .isEqualTo(AcmeSettings.LETS_ENCRYPT_STAGING);
    }

    @Test
    void badValuesAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> read("[acme]\ndirectory = \"letsencrypt\"\n"))
                .hasMessageStartingWith("tern.toml: acme.accept_terms: must be true");
        assertThatThrownBy(() -> read("[acme]\ndirectory = \"http://acme.example.net/dir\"\naccept_terms = true\n"))
                .hasMessageStartingWith("tern.toml: acme.directory: must be \"letsencrypt\", \"letsencrypt-staging\" or an https:// URL");
        assertThatThrownBy(() -> read("[acme]\nemail = \"postmaster@example.com\"\n"))
                .hasMessageStartingWith("tern.toml: acme.directory: is required");
        assertThatThrownBy(() -> read("[acme]\ndirectory = \"letsencrypt\"\naccept_terms = true\nemail = \"nobody\"\n"))
                .hasMessageStartingWith("tern.toml: acme.email: must be an email address");
        assertThatThrownBy(() -> read("[acme]\ndirectory = \"letsencrypt\"\naccept_terms = true\nnames = [\"mx_1.example\"]\n"))
                .hasMessageStartingWith("tern.toml: acme.names: must be a host name");
        assertThatThrownBy(() -> read("[acme]\ndirectory = \"letsencrypt\"\naccept_terms = true\ncheck_interval = \"0s\"\n"))
                .hasMessageStartingWith("tern.toml: acme.check_interval: must be between");
        assertThatThrownBy(() -> read("[acme]\ndirectory = \"letsencrypt\"\naccept_terms = true\nchallenge = \"dns-01\"\n"))
                .hasMessage("tern.toml: acme.challenge: unknown key");
    }
}
