package dev.tern.mail.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Parsing a header block in place gives the fields that streaming it gives, whatever the octets. */
class HeaderBlockFieldsProperties {

    @Provide
    Arbitrary<String> pieces() {
        return Arbitraries.of("A", ":", " ", "\t", "\r\n", "\r", "\n", "x: y", "DKIM-Signature:", "é");
    }

    @Property
    void inPlaceEqualsStreaming(@ForAll @Size(max = 40) List<@From("pieces") String> parts,
                                @ForAll @IntRange(min = 0, max = 7) int room) throws IOException {
        byte[] message = String.join("", parts).getBytes(StandardCharsets.UTF_8);
        List<HeaderField> streamed = HeaderBlock.read(new BufferedInputStream(new ByteArrayInputStream(message))).fields();
        byte[] withRoom = Arrays.copyOf(message, message.length + room); // octets past the length are not header
        Arrays.fill(withRoom, message.length, withRoom.length, (byte) ':');
        assertThat(HeaderBlock.parse(withRoom, message.length, HeaderBlock.LineEnds.CRLF).fields()).isEqualTo(streamed);
    }
}
