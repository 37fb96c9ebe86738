package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BounceReaderTest {

    private static BounceSettings read(String toml) throws Exception {
        ObjectNode root = (ObjectNode) new TomlMapper().readTree(toml);
        Section top = new Section("tern.toml", "", root == null ? new TomlMapper().createObjectNode() : root);
        return BounceReader.read(top, BounceSettings.defaults());
    }

    @Test
    void withoutTheTableTheDefaultsHold() throws Exception {
        BounceSettings d = read("hostname = \"x\"\n");
        assertThat(d).isEqualTo(BounceSettings.defaults());
        assertThat(d.delayWarning()).isZero();
        assertThat(d.maxReturnedSize()).isEqualTo(1024 * 1024);
        assertThat(d.successNotices()).isEqualTo(BounceSettings.SuccessNotices.AUTHENTICATED);
    }

    @Test
    void keysAreRead() throws Exception {
        BounceSettings s = read("[bounce]\ndelay_warning = \"4h\"\nmax_returned_size = \"100KiB\"\n"
                + "success_notices = \"all\"\n");
        assertThat(s.delayWarning()).isEqualTo(Duration.ofHours(4));
        assertThat(s.maxReturnedSize()).isEqualTo(100 * 1024);
        assertThat(s.successNotices()).isEqualTo(BounceSettings.SuccessNotices.ALL);
        assertThat(read("[bounce]\nsuccess_notices = \"none\"\n").successNotices())
                .isEqualTo(BounceSettings.SuccessNotices.NONE);
    }

    @Test
    void unknownKeysAndBadValuesAreRefused() {
        assertThatThrownBy(() -> read("[bounce]\ndelay_warnings = \"4h\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bounce.delay_warnings");
        assertThatThrownBy(() -> read("[bounce]\ndelay_warning = 4\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("duration");
        assertThatThrownBy(() -> read("[bounce]\nmax_returned_size = -1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max_returned_size");
        assertThatThrownBy(() -> read("[bounce]\nsuccess_notices = \"mx\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bounce.success_notices")
                .hasMessageContaining("\"authenticated\", \"all\", \"none\"");
    }
}
