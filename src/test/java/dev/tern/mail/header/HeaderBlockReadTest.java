package dev.tern.mail.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class HeaderBlockReadTest {

    @Test
    void stopsAfterTheEmptyLineAndLeavesTheBody() throws IOException {
        InputStream in = stream("A: 1\r\n folded\r\nB: 2\r\n\r\nbody\r\n\r\nmore\r\n");
        assertThat(text(HeaderBlock.read(in).toByteArray())).isEqualTo("A: 1\r\n folded\r\nB: 2\r\n\r\n");
        assertThat(text(in.readAllBytes())).isEqualTo("body\r\n\r\nmore\r\n");
    }

    @Test
    void aMessageWithoutBodyOrStartingWithTheEmptyLine() throws IOException {
        assertThat(text(HeaderBlock.read(stream("A: 1\r\nB: 2\r\n")).toByteArray())).isEqualTo("A: 1\r\nB: 2\r\n");
        InputStream in = stream("\r\nbody");
        assertThat(text(HeaderBlock.read(in).toByteArray())).isEqualTo("\r\n");
        assertThat(text(in.readAllBytes())).isEqualTo("body");
    }

    @Test
    void aHeaderLongerThanOneChunkIsJoinedWhole() throws IOException {
        String header = "X-Long: " + "z".repeat(200_000) + "\r\n" + "Y: 1\r\n".repeat(30_000) + "\r\n";
        InputStream in = new BufferedInputStream(new ByteArrayInputStream((header + "body")
                .getBytes(StandardCharsets.US_ASCII)));
        HeaderBlock read = HeaderBlock.read(in);
        assertThat(read.length()).isEqualTo(header.length());
        assertThat(new String(read.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo(header);
        assertThat(text(in.readAllBytes())).isEqualTo("body");
    }

    @Test
    void bareLineEndsDoNotEndTheHeader() throws IOException {
        assertThat(text(HeaderBlock.read(stream("A: 1\n\nB: 2\r\r\n\r\nbody")).toByteArray())).isEqualTo("A: 1\n\nB: 2\r\r\n\r\n");
    }

    /** Whatever the header lines, the header is exactly them plus the empty line, and the body follows. */
    @Property
    void splitsAtTheFirstEmptyLine(@ForAll @Size(max = 8) List<@StringLength(min = 1, max = 20)
            @CharRange(from = ' ', to = '~') String> lines, @ForAll @StringLength(max = 40) String body)
            throws IOException {
        String header = String.join("", lines.stream().map(l -> l + "\r\n").toList()) + "\r\n";
        InputStream in = stream(header + body);
        assertThat(text(HeaderBlock.read(in).toByteArray())).isEqualTo(header);
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(body);
    }

    private static InputStream stream(String s) {
        return new BufferedInputStream(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
