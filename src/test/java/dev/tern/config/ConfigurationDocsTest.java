package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md and examples/tern.toml must say what the loader reads. */
class ConfigurationDocsTest {

    private static String snake(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void theDocumentedExampleIsTheExampleFile() throws IOException {
        String docs = Files.readString(Path.of("docs", "configuration.md"));
        int start = docs.indexOf("```toml\n") + "```toml\n".length();
        String block = docs.substring(start, docs.indexOf("```", start));
        assertThat(block).isEqualTo(Files.readString(Path.of("examples", "tern.toml")));
    }

    @Test
    void everyLimitAndQueueSettingIsDocumentedAndInTheExample() throws IOException {
        String docs = Files.readString(Path.of("docs", "configuration.md"));
        String example = Files.readString(Path.of("examples", "tern.toml"));
        for (Class<?> type : new Class<?>[] {SmtpLimits.class, QueueSettings.class, ListenerSettings.class}) {
            for (RecordComponent component : type.getRecordComponents()) {
                if (component.getType() == ListenerSettings.Proxy.class) {
                    continue; // its three keys, below: off by default, so the example shows them as comments
                }
                String key = snake(component.getName());
                assertThat(docs).as(key).contains("| `" + key + "` |");
                assertThat(example).as(key).containsPattern("(?m)^" + key + " = ");
            }
        }
        for (String key : new String[] {"proxy_protocol", "proxy_networks", "proxy_timeout"}) {
            assertThat(docs).as(key).contains("| `" + key + "` |");
            assertThat(example).as(key).containsPattern("(?m)^# " + key + " = ");
        }
        for (String key : new String[] {"hostname", "data_dir", "domains", "[[listener]]", "[limits]", "[queue]"}) {
            assertThat(docs).as(key).contains("| `" + key + "` |");
        }
    }
}
