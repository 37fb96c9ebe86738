package dev.tern;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The package boundaries of docs/architecture.md: each package may use only the Tern packages listed here
 * (and any library). Arrows point one way: the session never touches mailboxes, the queue never parses SMTP.
 */
class ArchitectureTest {

    private static final Map<String, List<String>> ALLOWED = Map.ofEntries(
            Map.entry("mail", List.of()),
            Map.entry("io", List.of()),
            Map.entry("observe", List.of()),
            Map.entry("config", List.of("mail")),
            Map.entry("dns", List.of()),
            Map.entry("tls", List.of("io")),
            Map.entry("acme", List.of("config", "io")),
            Map.entry("smtp.protocol", List.of("mail")),
            Map.entry("store", List.of("mail", "io")),
            Map.entry("auth", List.of("mail", "store", "observe")),
            Map.entry("srs", List.of("mail")),
            Map.entry("policy", List.of("mail", "dns", "store", "observe", "config", "io", "srs")),
            Map.entry("sts", List.of("dns", "config", "io", "observe", "tls")),
            Map.entry("tlsrpt", List.of("mail", "dns", "config", "io", "observe")),
            Map.entry("dane", List.of("dns", "config", "observe")),
            Map.entry("delivery", List.of("smtp.protocol", "mail", "dns", "store", "observe", "config", "tls", "io",
                    "sts", "tlsrpt", "dane", "srs")),
            Map.entry("delivery.lmtp", List.of("delivery", "smtp.protocol", "mail", "store", "config")),
            Map.entry("queue", List.of("mail", "io", "observe", "config", "delivery")),
            Map.entry("milter", List.of("mail", "observe", "config")),
            Map.entry("smtp.server", List.of("smtp.protocol", "mail", "policy", "auth", "queue", "observe", "config", "tls",
                    "milter")),
            Map.entry("control", List.of("queue", "mail", "observe")),
            Map.entry("metrics", List.of("observe", "dns", "queue", "config")),
            Map.entry("admin", List.of("config", "queue", "store", "auth", "mail", "io", "smtp.protocol", "observe",
                    "policy", "dns", "control", "sts", "tlsrpt")));

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tern");
    }

    @TestFactory
    List<DynamicTest> eachPackageUsesOnlyWhatItMay() {
        List<DynamicTest> tests = new ArrayList<>();
        ALLOWED.forEach((pkg, allowed) -> tests.add(DynamicTest.dynamicTest(pkg, () -> {
            List<String> permitted = new ArrayList<>();
            permitted.add("dev.tern." + pkg + "..");
            allowed.forEach(a -> permitted.add("dev.tern." + a + ".."));
            classes().that().resideInAPackage("dev.tern." + pkg + "..")
                    .should().onlyDependOnClassesThat(
                            com.tngtech.archunit.base.DescribedPredicate.describe("in " + permitted,
                                    c -> !c.getPackageName().startsWith("dev.tern")
                                            || permitted.stream().anyMatch(p -> c.getPackageName().equals(p.substring(0, p.length() - 2))
                                            || c.getPackageName().startsWith(p.substring(0, p.length() - 1)))))
                    .allowEmptyShould(true)
                    .check(classes);
        })));
        return tests;
    }

    /** The vocabulary uses only the JDK, and ICU4J for IDNA2008 domain conversion (mail.Idna). */
    @Test
    void mailUsesOnlyTheJdkAndIcu() {
        classes().that().resideInAPackage("dev.tern.mail..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.tern.mail..", "com.ibm.icu..")
                .check(classes);
    }

    /**
     * One IDNA conversion: IDNA2008 in {@code mail.Idna}, reached through {@code mail.Domain}. Nothing else
     * calls {@code java.net.IDN} (IDNA2003) or ICU4J, so the config, the rules, the directory and DMARC key
     * {@code faß.de} alike.
     */
    @Test
    void oneIdnaConversion() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.tern.mail.Idna")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.net.IDN")
                .orShould().dependOnClassesThat().resideInAPackage("com.ibm.icu..")
                .check(classes);
    }

    @Test
    void packagesFormNoCycles() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                .matching("dev.tern.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void nothingDependsOnTheApp() {
        noClasses().that().resideOutsideOfPackage("dev.tern.app..")
                .should().dependOnClassesThat().resideInAPackage("dev.tern.app..")
                .check(classes);
    }

    /** One CIDR type: address-in-network questions all go through {@code mail.IpNetwork}. */
    @Test
    void oneIpNetworkType() {
        noClasses().that().resideOutsideOfPackage("dev.tern.mail")
                .should().haveSimpleNameContaining("IpNetwork").orShould().haveSimpleNameContaining("Cidr")
                .check(classes);
    }

    /** One dot-stuffer (RFC 5321 §4.5.2), shared by the SMTP client, the bench and the tests. */
    @Test
    void oneDotStuffer() {
        noClasses().that().resideOutsideOfPackage("dev.tern.smtp.protocol")
                .should().haveSimpleNameContaining("DotStuff")
                .check(classes);
    }

    /**
     * One reader of SMTP replies (RFC 5321 §4.2), {@code smtp.protocol.ReplyReader}, for the courier and the
     * bench alike: no other class is named after reading or holding a server's reply.
     */
    @Test
    void oneReplyReader() {
        noClasses().that().resideOutsideOfPackage("dev.tern.smtp.protocol")
                .should().haveSimpleNameEndingWith("ReplyReader").orShould().haveSimpleNameContaining("ServerReply")
                .check(classes);
    }

    /**
     * One header-block type: DKIM, DMARC, bounces, submission fix-ups and {@code sendmail} read a header through
     * {@code mail.header.HeaderBlock}, so no class outside {@code mail.header} is named after header fields,
     * blocks or sections.
     */
    @Test
    void oneHeaderBlockType() {
        noClasses().that().resideOutsideOfPackage("dev.tern.mail.header..")
                .should().haveSimpleNameContaining("HeaderField").orShould().haveSimpleNameContaining("HeaderBlock")
                .orShould().haveSimpleNameContaining("HeaderSection").orShould().haveSimpleNameContaining("HeaderBytes")
                .check(classes);
    }

    /**
     * One RFC 5322 address-list parser: DMARC and {@code sendmail -t} must read one From alike, so no class
     * outside {@code mail.header} is named after address lists or mailbox lists.
     */
    @Test
    void addressListsAreParsedOnlyInMailHeader() {
        noClasses().that().resideOutsideOfPackage("dev.tern.mail.header..")
                .should().haveSimpleNameContaining("AddressList").orShould().haveSimpleNameContaining("MailboxList")
                .check(classes);
    }

    /** Each package says in one sentence what it owns (package-info.java beside its sources). */
    @Test
    void everyPackageHasPackageInfo() throws java.io.IOException {
        try (var dirs = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java"))) {
            List<java.nio.file.Path> missing = dirs.filter(java.nio.file.Files::isDirectory)
                    .filter(ArchitectureTest::hasJavaFiles)
                    .filter(dir -> !java.nio.file.Files.exists(dir.resolve("package-info.java")))
                    .toList();
            org.assertj.core.api.Assertions.assertThat(missing).isEmpty();
        }
    }

    private static boolean hasJavaFiles(java.nio.file.Path dir) {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".java"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** docs/architecture.md's "may use" column names exactly the Tern packages this test allows. */
    @Test
    void theArchitectureTableSaysWhatThisTestEnforces() throws java.io.IOException {
        java.util.regex.Pattern row = java.util.regex.Pattern.compile("^\\| `([a-z.]+)` \\|.*\\| ([^|]*) \\|$");
        Map<String, List<String>> documented = new java.util.TreeMap<>();
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("docs", "architecture.md"))) {
            java.util.regex.Matcher m = row.matcher(line);
            if (m.matches() && !m.group(1).equals("app")) {
                documented.put(m.group(1), java.util.regex.Pattern.compile("`([a-z.]+)`").matcher(m.group(2))
                        .results().map(r -> r.group(1)).toList());
            }
        }
        org.assertj.core.api.Assertions.assertThat(documented).isEqualTo(new java.util.TreeMap<>(ALLOWED));
    }
}
