package dev.tern.mail.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderFieldTest {

    @Test
    void fieldsAreUnfoldedAndKnowWhereTheyLie() {
        String text = "Received: from a\r\n\tby b\r\nSubject: hi\r\n\r\nBody: not a field\r\n";
        List<HeaderField> fields = HeaderBlock.parse(text.getBytes(StandardCharsets.US_ASCII), HeaderBlock.LineEnds.LF).namedFields();

        assertThat(fields).extracting(HeaderField::name).containsExactly("Received", "Subject");
        assertThat(fields.get(0).value()).isEqualTo(" from a\tby b");
        assertThat(text.substring(fields.get(1).start(), fields.get(1).end())).isEqualTo("Subject: hi\r\n");
        assertThat(text.substring(fields.get(0).start(), fields.get(0).end())).isEqualTo("Received: from a\r\n\tby b\r\n");
    }

    @Test
    void bareLineFeedsAndAMissingBodyAreAccepted() {
        List<HeaderField> fields = HeaderBlock.parse("A: 1\nB: 2".getBytes(StandardCharsets.US_ASCII), HeaderBlock.LineEnds.LF).namedFields();

        assertThat(fields).extracting(HeaderField::value).containsExactly(" 1", " 2");
        assertThat(fields.get(1).end()).isEqualTo(9);
    }

    @Test
    void aLineWithoutColonIsSkippedWithItsContinuations() {
        List<HeaderField> fields = HeaderBlock.parse("junk\r\n cont: x\r\nC: 3\r\n\r\n".getBytes(StandardCharsets.US_ASCII), HeaderBlock.LineEnds.LF).namedFields();

        assertThat(fields).extracting(HeaderField::name).containsExactly("C");
    }
}
