package dev.tern.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import picocli.CommandLine;

/** {@code tern --version} says the version the pom gives the project, not a placeholder. */
class VersionTest {

    /** {@code <project><version>}, the project's own (not a parent's), read from the pom the tests run beside. */
    private static String pomVersion() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element project = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile()).getDocumentElement();
        for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && e.getTagName().equals("version")) {
                return e.getTextContent().strip();
            }
        }
        throw new AssertionError("pom.xml has no <version> of its own");
    }

    private static String versionOutput(CommandLine cl, String option) {
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute(option)).isZero();
        return out.toString();
    }

    @Test
    void theFilteredResourceHoldsThePomsVersion() throws Exception {
        assertThat(TernCommand.Version.version()).isEqualTo(pomVersion());
    }

    @Test
    void versionPrintsIt() throws Exception {
        String expected = "tern " + pomVersion() + System.lineSeparator();
        assertThat(versionOutput(TernCommand.commandLine(), "--version")).isEqualTo(expected);
        assertThat(versionOutput(TernCommand.commandLineFor(new String[] {"-V"}), "-V")).isEqualTo(expected);
    }
}
