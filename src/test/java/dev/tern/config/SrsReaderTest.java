package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [srs]} and {@code [mailbox]}, and the checks of the secrets file that {@code tern config check} runs. */
class SrsReaderTest {

    @TempDir
    Path dir;

    private SrsSettings read(String toml) throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root == null ? new TomlMapper().createObjectNode() : root);
        return SrsReader.read(top, dir, SrsSettings.defaults());
    }

    private Path secret(String text, String permissions) throws Exception {
        Path file = dir.resolve("srs.secret");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void offByDefaultAndOnOnceASecretFileIsNamed() throws Exception {
        assertThat(read("hostname = \"x\"\n")).isEqualTo(SrsSettings.defaults());
        assertThat(SrsSettings.defaults().enabled()).isFalse();
        assertThat(SrsSettings.defaults().maxAge()).isEqualTo(Duration.ofDays(21));
        secret("a-secret-of-enough-length\nan-older-secret-still-valid\n", "rw-r-----");

        SrsSettings on = read("[srs]\nsecret_file = \"srs.secret\"\n");

        assertThat(on.enabled()).isTrue();
        assertThat(on.secretFile()).isEqualTo(dir.resolve("srs.secret"));
        assertThat(SrsSecretFile.read(on.secretFile()))
                .containsExactly("a-secret-of-enough-length", "an-older-secret-still-valid");
        assertThat(read("[srs]\nsecret_file = \"srs.secret\"\nenabled = false\n").enabled()).isFalse();
    }

    @Test
    void theDomainDefaultsToTheFirstLocalDomainThenTheHostname() throws Exception {
        secret("a-secret-of-enough-length\n", "rw-------");
        SrsSettings s = read("[srs]\nsecret_file = \"srs.secret\"\nmax_age = \"30d\"\n");
        assertThat(s.domainOr(List.of("example.org", "example.net"), "mx.example.org")).isEqualTo("example.org");
        assertThat(s.domainOr(List.of(), "mx.example.org")).isEqualTo("mx.example.org");
        assertThat(s.maxAge()).isEqualTo(Duration.ofDays(30));

        SrsSettings named = read("[srs]\nsecret_file = \"srs.secret\"\ndomain = \"Fwd.Example.ORG\"\n");
        assertThat(named.domainOr(List.of("example.org"), "mx")).isEqualTo("fwd.example.org");
    }

    @Test
    void aSecretFileReadableByAnyoneOrTooShortOrEmptyIsRefused() throws Exception {
        secret("a-secret-of-enough-length\n", "rw-r--r--");
        assertThatThrownBy(() -> read("[srs]\nsecret_file = \"srs.secret\"\n")).isInstanceOf(ConfigException.class)
                .hasMessage("tern.toml: srs.secret_file: \"srs.secret\": is readable by every user: chmod o-r it"
                        + " (its secret keeps the forwarder from relaying for anyone)");

        secret("short\n", "rw-------");
        assertThatThrownBy(() -> read("[srs]\nsecret_file = \"srs.secret\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("\"srs.secret\": holds a secret shorter than 16 characters");

        secret("\n\n", "rw-------");
        assertThatThrownBy(() -> read("[srs]\nsecret_file = \"srs.secret\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("holds no secret (one a line, the first signs)");

        secret("a-secret-of-enough-length\n", "-w-------");
        if (!Files.isReadable(dir.resolve("srs.secret"))) { // root reads anything
            assertThatThrownBy(() -> read("[srs]\nsecret_file = \"srs.secret\"\n"))
                    .hasMessageEndingWith("cannot be read");
        }
    }

    @Test
    void badValuesAreRefusedWithTheirKey() throws Exception {
        assertThatThrownBy(() -> read("[srs]\nenabled = true\n")).hasMessageStartingWith(
                "tern.toml: srs.secret_file: is required when SRS is on");
        assertThatThrownBy(() -> read("[srs]\nmax_age = \"1024d\"\n")).hasMessageContaining("srs.max_age");
        assertThatThrownBy(() -> read("[srs]\nmax_age = \"12h\"\n")).hasMessageContaining("srs.max_age");
        assertThatThrownBy(() -> read("[srs]\ndomain = \"[192.0.2.1]\"\n")).hasMessageContaining("srs.domain");
        assertThatThrownBy(() -> read("[srs]\nsecrets = \"x\"\n")).hasMessageContaining("srs.secrets");
    }

    @Test
    void theMailboxTableHoldsTheDefaultQuota() throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree("[mailbox]\ndefault_quota = \"2GiB\"\n");
        MailboxSettings m = MailboxReader.read(new Section("tern.toml", "", root), MailboxSettings.defaults());
        assertThat(m.defaultQuota()).isEqualTo(2L << 30);
        assertThat(MailboxSettings.defaults().defaultQuota()).isZero();
        ObjectNode bad = (ObjectNode) new TomlMapper().readTree("[mailbox]\ndefault_quota = -1\n");
        assertThatThrownBy(() -> MailboxReader.read(new Section("tern.toml", "", bad), MailboxSettings.defaults()))
                .hasMessageContaining("mailbox.default_quota");
    }
}
