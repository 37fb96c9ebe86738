package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TOML examples of docs/config-ratelimits.md and docs/config-greylist.md load as they are written. */
class ThrottleDocsExamplesTest {

    private static final Pattern TOML = Pattern.compile("```toml\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    private TernConfig load(String page) throws Exception {
        Matcher m = TOML.matcher(Files.readString(Path.of("docs", page)));
        assertThat(m.find()).as("a TOML example in " + page).isTrue();
        Path file = dir.resolve("tern.toml");
        Files.writeString(file, m.group(1));
        return ConfigLoader.load(file, TernConfig.defaults("localhost", dir));
    }

    @Test
    void theRateLimitsExampleLoads() throws Exception {
        RateLimitSettings limits = load("config-ratelimits.md").rateLimits();
        assertThat(limits.limit(RateLimitSettings.Limit.CLIENT_CONNECTIONS)).isEqualTo(30);
        assertThat(limits.overrides()).hasSize(2);
    }

    @Test
    void theGreylistExampleLoads() throws Exception {
        GreylistSettings greylist = load("config-greylist.md").greylist();
        assertThat(greylist.enabled()).isTrue();
        assertThat(greylist.spfPassDomains()).containsExactly("gmail.com", "outlook.com");
    }
}
