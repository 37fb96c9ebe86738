package dev.tern.policy.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The header parsers never fail on any input, and find what a well-formed From field names. */
class HeaderParsingPropertiesTest {

    @Property
    void anyBytesGiveFieldsInOrderWithinTheBlock(@ForAll byte[] message) {
        List<HeaderField> fields = HeaderBlock.parse(message, HeaderBlock.LineEnds.LF).namedFields();
        int previousEnd = 0;
        for (HeaderField field : fields) {
            assertThat(field.start()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(field.end()).isGreaterThan(field.start()).isLessThanOrEqualTo(message.length);
            previousEnd = field.end();
        }
        AuthorDomain.of(fields);
        AuthenticationResults.claimingUs(fields, "mx.example");
    }

    @Property
    void anyFromValueGivesADomainOrAReason(@ForAll String value) {
        AuthorDomain author = AuthorDomain.of(("From:" + value + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(author).isNotNull();
    }

    @Property
    void theDomainOfAnyDisplayNameAndAddressIsFound(@ForAll("displayNames") String name,
                                                   @ForAll("labels") String local, @ForAll("labels") String label) {
        String domain = label + ".example";
        String field = "From: \"" + name + "\" <" + local + "@" + domain.toUpperCase(java.util.Locale.ROOT) + ">\r\n";
        assertThat(AuthorDomain.of((field + "\r\n").getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new AuthorDomain.Found(domain));
    }

    @Property
    void ourOwnHeaderIsAlwaysRecognisedAsOurs(@ForAll("labels") String host, @ForAll("displayNames") String comment) {
        String id = host + ".Example";
        String field = AuthenticationResults.header(id, null, "", "", List.of(), null);
        String withComment = "Authentication-Results: (" + comment.replaceAll("[()\\\\]", "") + ") " + id
                + "; none\r\n";
        byte[] block = (field + withComment + "\r\n").getBytes(StandardCharsets.UTF_8);
        assertThat(AuthenticationResults.claimingUs(block, id.toLowerCase(java.util.Locale.ROOT))).hasSize(2);
    }

    @Provide
    Arbitrary<String> displayNames() {
        return Arbitraries.strings().withChars("abc XYZ,;:<>@()é").ofMaxLength(20)
                .map(s -> s.replace("\"", "").replace("\\", ""));
    }

    @Provide
    Arbitrary<String> labels() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
    }
}
