package dev.tern.policy.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.mail.Domain;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class PublicSuffixListTest {

    private static final PublicSuffixList BUNDLED = PublicSuffixList.bundled();
    private static final Pattern CHECK = Pattern.compile("^checkPublicSuffix\\((null|'[^']*'), (null|'[^']*')\\);$");

    @TempDir
    Path dir;

    /** Every line of the publicsuffix.org test file (src/test/resources/psl/README.md) against the bundled list. */
    @TestFactory
    List<DynamicTest> publicSuffixOrgTests() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/psl/test_psl.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher m = CHECK.matcher(line.strip());
                if (m.matches()) {
                    String domain = unquote(m.group(1));
                    String expected = unquote(m.group(2));
                    tests.add(DynamicTest.dynamicTest(line.strip(), () -> assertThat(
                            domain == null ? Optional.empty() : BUNDLED.registrableDomain(domain))
                            .isEqualTo(Optional.ofNullable(expected).map(PublicSuffixListTest::ascii))));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThan(70);
        return tests;
    }

    private static String unquote(String text) {
        return text.equals("null") ? null : text.substring(1, text.length() - 1);
    }

    private static String ascii(String name) {
        return Domain.asciiKey(name).orElseThrow(); // keyed as the list keys names (mail.Domain)
    }

    @Test
    void organizationalDomainOfAPublicSuffixIsTheNameItself() {
        assertThat(BUNDLED.organizationalDomain("mail.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(BUNDLED.organizationalDomain("co.uk")).isEqualTo("co.uk");
        assertThat(BUNDLED.organizationalDomain("Mail.Example.COM.")).isEqualTo("example.com");
        assertThat(BUNDLED.organizationalDomain("www.bücher.de")).isEqualTo("xn--bcher-kva.de");
        assertThat(BUNDLED.publicSuffix("a.b.example.co.uk")).contains("co.uk");
    }

    @Test
    void wildcardsExceptionsAndThePrivateSection() {
        List<String> rules = List.of("// ===BEGIN ICANN DOMAINS===", "example", "*.wild.example",
                "!keep.wild.example", "// ===END ICANN DOMAINS===", "// ===BEGIN PRIVATE DOMAINS===",
                "// a comment inside", "hosting.example", "// ===END PRIVATE DOMAINS===");
        PublicSuffixList all = PublicSuffixList.of(rules);

        assertThat(all.organizationalDomain("a.b.wild.example")).isEqualTo("a.b.wild.example");
        assertThat(all.organizationalDomain("x.keep.wild.example")).isEqualTo("keep.wild.example");
        assertThat(all.organizationalDomain("a.customer.hosting.example")).isEqualTo("customer.hosting.example");
        assertThat(all.organizationalDomain("a.b.unlisted")).isEqualTo("b.unlisted");
    }

    @Test
    void privateRulesCanBeLeftOut() throws IOException {
        String text = String.join("\n", "example", "// ===BEGIN PRIVATE DOMAINS===", "hosting.example",
                "// ===END PRIVATE DOMAINS===", "after.example");
        PublicSuffixList icann = PublicSuffixList.parse(new java.io.StringReader(text), false);

        assertThat(icann.organizationalDomain("a.customer.hosting.example")).isEqualTo("hosting.example");
        assertThat(icann.organizationalDomain("a.b.after.example")).isEqualTo("b.after.example");
    }

    @Test
    void anOperatorFileReplacesTheBundledList() throws IOException {
        Path file = dir.resolve("list.dat");
        Files.writeString(file, "// test\nexample.com\n");
        PublicSuffixList list = PublicSuffixList.load(file);

        assertThat(list.organizationalDomain("a.b.example.com")).isEqualTo("b.example.com");
        Files.writeString(file, "// nothing but comments\n");
        assertThatThrownBy(() -> PublicSuffixList.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("no public suffix rules");
    }

    @Test
    void unusableNamesHaveNoRegistrableDomain() {
        assertThat(BUNDLED.registrableDomain("")).isEmpty();
        assertThat(BUNDLED.registrableDomain("a..example.com")).isEmpty();
        assertThat(BUNDLED.publicSuffix(".com")).isEmpty();
    }
}
