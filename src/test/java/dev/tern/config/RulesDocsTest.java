package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/config-rules.md must name every key the reader knows, and its examples must load. */
class RulesDocsTest {

    private static final Path DOC = Path.of("docs", "config-rules.md");

    @TempDir
    Path dir;

    /** The ```toml blocks of the page, in order. */
    static List<String> tomlBlocks() throws IOException {
        String docs = Files.readString(DOC);
        List<String> blocks = new ArrayList<>();
        for (int at = docs.indexOf("```toml\n"); at >= 0; at = docs.indexOf("```toml\n", at)) {
            int start = at + "```toml\n".length();
            int end = docs.indexOf("```", start);
            blocks.add(docs.substring(start, end));
            at = end + 3;
        }
        return blocks;
    }

    @Test
    void everyKeyIsDocumented() throws IOException {
        String docs = Files.readString(DOC);
        for (RecordComponent component : RuleDefinition.class.getRecordComponents()) {
            assertThat(docs).as(component.getName()).contains("| `" + component.getName() + "` |");
        }
    }

    @Test
    void everyExampleLoads() throws Exception {
        List<String> blocks = tomlBlocks();
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(5);
        for (String block : blocks) {
            Path file = dir.resolve("example.toml");
            Files.writeString(file, block);
            assertThat(RulesReader.load(file).rules()).as(block).isNotEmpty();
        }
    }
}
