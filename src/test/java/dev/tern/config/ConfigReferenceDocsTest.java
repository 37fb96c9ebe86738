package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each key table of docs/configuration.md and docs/config-*.md, under a heading naming its table
 * ({@code ## `[limits]`}), lists exactly the keys {@link ConfigSchema} finds in that table, and where the
 * page writes a default or range as a plain literal it is the one in code.
 */
class ConfigReferenceDocsTest {

    /** Tables with a required key: the schema reads them only up to it (see {@link ConfigSchema}). */
    private static final java.util.Set<String> PARTIAL = java.util.Set.of("delivery.relayhost");
    private static final Pattern TABLE_HEADING = Pattern.compile("^#+ .*?`\\[([a-z_.]+)]`");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_]+)` \\|([^|]*)\\|([^|]*)\\|");
    private static final Pattern PLAIN_RANGE = Pattern.compile("[0-9A-Za-z]+ to [0-9A-Za-z]+");

    @Test
    void everyDocumentedTableListsExactlyItsKeysWithTheirDefaultsAndRanges() throws IOException {
        List<ConfigSchema.Key> schema = ConfigSchema.collect(TernConfig.defaults("localhost", Path.of("data")));
        Map<String, TreeSet<String>> inCode = new TreeMap<>();
        for (ConfigSchema.Key key : schema) {
            inCode.computeIfAbsent(key.section(), s -> new TreeSet<>()).add(key.name());
        }
        Map<String, TreeSet<String>> inDocs = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Path page : pages()) {
            read(page, schema, inDocs, problems);
        }
        for (String section : inCode.keySet()) {
            if (PARTIAL.contains(section)) {
                assertThat(inDocs.get(section)).as("keys of [%s] in the docs", section).containsAll(inCode.get(section));
                continue;
            }
            assertThat(inDocs.get(section)).as("keys of [%s] in the docs", section).isEqualTo(inCode.get(section));
        }
        // Tables the schema cannot read empty ([tls]'s certificates, [submission]'s user names) are left out.
        assertThat(inDocs.keySet()).as("tables the docs describe").containsAll(inCode.keySet());
        assertThat(problems).isEmpty();
    }

    private static List<Path> pages() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            return files.filter(p -> p.getFileName().toString().matches("config(uration|-.*)\\.md")).sorted().toList();
        }
    }

    private static void read(Path page, List<ConfigSchema.Key> schema, Map<String, TreeSet<String>> inDocs,
            List<String> problems) throws IOException {
        String section = null;
        boolean ranged = false;
        for (String line : Files.readAllLines(page)) {
            Matcher heading = TABLE_HEADING.matcher(line);
            if (line.startsWith("#")) {
                section = heading.find() ? heading.group(1) : line.equals("## Top level") ? "" : null;
            } else if (line.startsWith("| key |")) {
                ranged = line.startsWith("| key | default | range |");
            }
            Matcher row = ROW.matcher(line);
            if (section == null || !row.find()) {
                continue;
            }
            String name = row.group(1);
            inDocs.computeIfAbsent(section, s -> new TreeSet<>()).add(name);
            String where = page.getFileName() + " " + (section.isEmpty() ? "" : section + ".") + name;
            String path = section.isEmpty() ? name : section + "." + name;
            for (ConfigSchema.Key key : schema) {
                if (key.path().equals(path)) {
                    compare(where, key, row.group(2).strip(), ranged ? row.group(3).strip() : null, problems);
                }
            }
        }
    }

    private static void compare(String where, ConfigSchema.Key key, String docDefault, String docRange,
            List<String> problems) {
        if (key.value() != null && docDefault.matches("`[^`]*`") && !docDefault.equals("`" + key.value() + "`")) {
            problems.add(where + ": default " + docDefault + ", code " + key.value());
        }
        if (docRange != null && key.range() != null && PLAIN_RANGE.matcher(docRange).matches()
                && !docRange.equals(key.range())) {
            problems.add(where + ": range " + docRange + ", code " + key.range());
        }
    }
}
