package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.ServiceSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * packaging/systemd/tern.service: systemd itself finds nothing wrong with it ({@code systemd-analyze verify},
 * which .ci/run installs), and it says what docs/install.md promises: a user of its own, the one capability
 * for ports below 1024, a read-only system but the data directory, SIGHUP for reload, and a stop timeout
 * longer than Tern's own graceful stop.
 */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("packaging/systemd/tern.service");

    @Test
    void systemdAnalyzeVerifiesTheUnit() throws Exception {
        Process verify;
        try {
            verify = new ProcessBuilder("systemd-analyze", "verify", UNIT.toAbsolutePath().toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("systemd-analyze is needed (Debian package systemd; .ci/run installs it)", e);
        }
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor()).as(output).isZero();
        assertThat(output).as("what systemd-analyze says of the unit").doesNotContain("tern.service:");
    }

    @Test
    void theUnitIsHardenedAndStopsAfterTernsOwnBounds() throws IOException {
        Map<String, List<String>> service = section("Service");
        assertThat(service.get("User")).containsExactly("tern");
        assertThat(service.get("AmbientCapabilities")).containsExactly("CAP_NET_BIND_SERVICE");
        assertThat(service.get("CapabilityBoundingSet")).containsExactly("CAP_NET_BIND_SERVICE");
        assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
        assertThat(service.get("ProtectSystem")).containsExactly("strict");
        assertThat(service.get("ReadWritePaths")).containsExactly("/var/lib/tern");
        assertThat(service.get("PrivateTmp")).containsExactly("yes");
        assertThat(service.get("ProtectHome")).containsExactly("yes");
        assertThat(service.get("Restart")).containsExactly("on-failure");
        assertThat(service.get("ExecReload")).containsExactly("/bin/kill -HUP $MAINPID");
        assertThat(service.get("ExecStart").get(0)).contains("serve --config /etc/tern/tern.toml")
                .contains("--enable-native-access=ALL-UNNAMED");
        assertThat(service.get("SuccessExitStatus")).containsExactly(String.valueOf(Signals.TERMINATED));

        ServiceSettings defaults = ServiceSettings.defaults();
        Duration ternsOwn = defaults.shutdownGrace().plus(defaults.deliveryGrace()).plus(Signals.BACKSTOP);
        Duration timeout = Duration.ofSeconds(Long.parseLong(service.get("TimeoutStopSec").get(0)));
        assertThat(timeout).as("systemd's SIGKILL comes after Tern ends itself").isGreaterThan(ternsOwn);
        assertThat(section("Install").get("WantedBy")).containsExactly("multi-user.target");
    }

    /** The directives of one {@code [section]}: key to its values, in order (a key may be given twice). */
    private static Map<String, List<String>> section(String name) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String current = null;
        for (String raw : Files.readAllLines(UNIT)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                current = line.substring(1, line.length() - 1);
                continue;
            }
            int eq = line.indexOf('=');
            if (name.equals(current) && eq > 0) {
                out.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return out;
    }
}
