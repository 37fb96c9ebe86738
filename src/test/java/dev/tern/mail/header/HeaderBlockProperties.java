package dev.tern.mail.header;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.header.HeaderBlock.LineEnds;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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

/** Whatever the octets, a header block accounts for every one of them, in order, with consistent offsets. */
class HeaderBlockProperties {

    @Provide
    Arbitrary<byte[]> messages() {
        Arbitrary<String> piece = Arbitraries.of("A", ":", " ", "\t", "\r\n", "\r", "\n", "x: y", "From:",
                "DKIM-Signature:", "é", "\u000b", "\r\n\r\n", "\n\n", "\u0000", "\u00ff", "body");
        Arbitrary<byte[]> pieces = piece.list().ofMaxSize(40)
                .map(p -> String.join("", p).getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(pieces, Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
    }

    @Provide
    Arbitrary<LineEnds> ends() {
        return Arbitraries.of(LineEnds.class);
    }

    /** The fields' octets (raw, then the line end closing each) + the empty line + the body == the input. */
    @Property(tries = 2000)
    void fieldsAndBodyAreTheInput(@ForAll("messages") byte[] message, @ForAll("ends") LineEnds ends) {
        HeaderBlock block = HeaderBlock.parse(message, ends);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        int pos = 0;
        for (HeaderField f : block.fields()) {
            assertThat(f.start()).isEqualTo(pos); // contiguous: nothing skipped, nothing twice
            assertThat(f.length()).isPositive();
            assertThat(f.end()).isGreaterThanOrEqualTo(f.start() + f.length()).isLessThanOrEqualTo(message.length);
            byte[] lineEnd = Arrays.copyOfRange(message, f.start() + f.length(), f.end());
            assertThat(new String(lineEnd, StandardCharsets.ISO_8859_1))
                    .isIn(ends == LineEnds.CRLF ? List.of("", "\r\n") : List.of("", "\n", "\r\n"));
            if (lineEnd.length == 0) {
                assertThat(f.end()).isEqualTo(message.length); // only the last line may lack its end
            }
            again.writeBytes(f.raw());
            again.writeBytes(lineEnd);
            pos = f.end();
        }
        byte[] emptyLine = Arrays.copyOfRange(message, pos, block.bodyOffset());
        assertThat(new String(emptyLine, StandardCharsets.ISO_8859_1))
                .isIn(ends == LineEnds.CRLF ? List.of("", "\r\n") : List.of("", "\n", "\r\n"));
        again.writeBytes(emptyLine);
        again.write(message, block.bodyOffset(), message.length - block.bodyOffset());
        assertThat(again.toByteArray()).isEqualTo(message);
        assertThat(block.length()).isEqualTo(message.length);
    }

    /** Each field's offsets agree with its octets, its name and its colon. */
    @Property(tries = 1000)
    void offsetsNameAndColonAgree(@ForAll("messages") byte[] message, @ForAll("ends") LineEnds ends) {
        for (HeaderField f : HeaderBlock.parse(message, ends).fields()) {
            for (int i = 0; i < f.length(); i++) {
                assertThat(f.at(i)).isEqualTo(message[f.start() + i]);
            }
            String text = f.toString();
            assertThat(f.colonIndex()).isEqualTo(text.indexOf(':'));
            if (f.colonIndex() >= 0) {
                assertThat(text.substring(0, f.colonIndex())).startsWith(f.name());
                assertThat(text.substring(f.name().length(), f.colonIndex())).isBlank();
            } else {
                assertThat(f.name()).isEmpty();
                assertThat(f.value()).isEmpty();
            }
            assertThat(f.hasStrictName()).isEqualTo(f.hasStrictName() && f.startsWithName());
            assertThat(HeaderField.of(f.raw())).extracting(HeaderField::name, HeaderField::toString)
                    .containsExactly(f.name(), text);
        }
    }

    /** Reading a stream gives the fields parsing its header gives, and leaves the stream at the body. */
    @Property(tries = 1000)
    void readingAStreamIsParsingItsHeader(@ForAll("messages") byte[] message) throws IOException {
        InputStream in = new BufferedInputStream(new ByteArrayInputStream(message));
        HeaderBlock read = HeaderBlock.read(in);
        HeaderBlock parsed = HeaderBlock.parse(message, LineEnds.CRLF);
        assertThat(read.fields()).isEqualTo(parsed.fields());
        assertThat(read.bodyOffset()).isEqualTo(parsed.bodyOffset()).isEqualTo(read.length());
        assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(message, parsed.bodyOffset(), message.length));
    }

    /** The other view of the same octets is the one a parse with that rule gives. */
    @Property(tries = 1000)
    void theOtherViewIsTheOtherParse(@ForAll("messages") byte[] message, @ForAll @IntRange(max = 5) int room) {
        byte[] withRoom = Arrays.copyOf(message, message.length + room);
        Arrays.fill(withRoom, message.length, withRoom.length, (byte) '\n'); // octets past the length are not read
        for (LineEnds from : LineEnds.values()) {
            for (LineEnds to : LineEnds.values()) {
                HeaderBlock view = HeaderBlock.parse(withRoom, message.length, from).as(to);
                HeaderBlock direct = HeaderBlock.parse(message, to);
                assertThat(view.fields()).isEqualTo(direct.fields());
                assertThat(view.bodyOffset()).isEqualTo(direct.bodyOffset());
            }
        }
    }

    /** An excerpt is whole lines from the top, at most the bound, then the empty line. */
    @Property(tries = 1000)
    void anExcerptIsWholeLinesFromTheTop(@ForAll("messages") byte[] message,
                                        @ForAll @IntRange(min = 1, max = 300) int max) throws IOException {
        byte[] excerpt = HeaderBlock.excerpt(new ByteArrayInputStream(message), max).toByteArray();
        int n = excerpt.length - 2;
        assertThat(Arrays.copyOfRange(excerpt, n, excerpt.length)).containsExactly('\r', '\n');
        assertThat(n).isLessThanOrEqualTo(Math.min(max, message.length));
        assertThat(Arrays.copyOf(message, n)).isEqualTo(Arrays.copyOf(excerpt, n));
        assertThat(n == 0 || excerpt[n - 1] == '\n').isTrue();
    }

    /** Names and values never fail, whatever the octets; a strict name is printable ASCII. */
    @Property(tries = 500)
    void namesAndValuesOfAnyOctets(@ForAll @Size(max = 30) List<@From("messages") byte[]> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        for (HeaderField f : HeaderBlock.parse(all.toByteArray(), LineEnds.LF).namedFields()) {
            assertThat(f.startsWithName()).isTrue();
            if (f.name().chars().allMatch(c -> c < 128)) {
                assertThat(f.isLeniently(f.name().strip())).isTrue();
            }
            assertThat(f.value()).isNotNull();
            if (f.hasStrictName()) {
                assertThat(f.name()).matches("[!-9;-~]+");
            }
        }
    }
}
