package dev.tern.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** Reads {@code [srs]} into {@link SrsSettings}; docs/config-srs.md lists the keys. */
final class SrsReader {

    /** The timestamp of an SRS address counts days modulo 1024, so an age must stay below that. */
    static final Duration MAX_MAX_AGE = Duration.ofDays(1023);

    private SrsReader() {
    }

    static SrsSettings read(Section top, Path configDir, SrsSettings d) throws ConfigException {
        Optional<Section> table = top.table("srs");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        String secretText = s.string("secret_file", null);
        Path secretFile = d.secretFile();
        if (secretText != null) {
            if (secretText.isBlank() || secretText.indexOf('\0') >= 0) {
                throw s.error("secret_file", "must be a file path, got \"" + secretText + "\"");
            }
            secretFile = configDir == null ? Path.of(secretText) : configDir.resolve(secretText).normalize();
        }
        boolean enabled = s.bool("enabled", secretFile != null);
        String domain = s.string("domain", d.domain());
        if (domain != null) {
            String problem = Syntax.domainProblem(domain);
            if (problem != null) {
                throw s.error("domain", problem);
            }
            domain = domain.toLowerCase(Locale.ROOT);
        }
        Duration maxAge = s.duration("max_age", d.maxAge(), Duration.ofDays(1), MAX_MAX_AGE);
        if (maxAge.toSeconds() % 86_400 != 0) {
            throw s.error("max_age", "must be whole days (an SRS timestamp counts days), got \""
                    + ConfigValues.formatDuration(maxAge) + "\"");
        }
        s.refuseUnknown();
        if (enabled && secretFile == null) {
            throw s.error("secret_file", "is required when SRS is on: a file of secrets, one a line (postsrsd's"
                    + " format)");
        }
        if (secretFile != null) {
            String problem = SrsSecretFile.problem(secretFile);
            if (problem != null) {
                throw s.error("secret_file", "\"" + (secretText != null ? secretText : secretFile) + "\": " + problem);
            }
        }
        return new SrsSettings(enabled, secretFile, domain, maxAge);
    }
}
