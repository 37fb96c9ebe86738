package dev.tern.policy.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.legacy.OldDkimBlock;
import dev.tern.legacy.OldDkimField;
import dev.tern.legacy.OldDmarcField;
import dev.tern.legacy.OldHeaderBytes;
import dev.tern.legacy.OldHeaderSection;
import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class LegacyDifferentialProperties {

    @Provide
    Arbitrary<String> pieces() {
        return Arbitraries.of("A", ":", " ", "\t", "\r\n", "\r", "\n", "x: y", "From:", "DKIM-Signature:", "é",
                "\u000b", "Date", "Message-ID", "To: a@b", "From ", ".", "\r\n\r\n", "b=", ";", "\u0000", "\u00ff");
    }

    private static byte[] bytes(List<String> parts, boolean utf8) {
        return String.join("", parts).getBytes(utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    private static InputStream in(byte[] b) {
        return new BufferedInputStream(new ByteArrayInputStream(b));
    }

    @Property(tries = 3000)
    void dkimAsBefore(@ForAll @Size(max = 40) List<@From("pieces") String> parts, @ForAll boolean utf8)
            throws IOException {
        check(bytes(parts, utf8));
    }

    @Property(tries = 1000)
    void anyBytes(@ForAll byte[] message) throws IOException {
        check(message);
    }

    private static void check(byte[] message) throws IOException {
        InputStream a = in(message);
        InputStream b = in(message);
        List<OldDkimField> old = OldDkimBlock.read(a);
        HeaderBlock block = HeaderBlock.read(b);
        List<HeaderField> now = block.fields();
        assertThat(now).hasSize(old.size());
        for (int i = 0; i < old.size(); i++) {
            OldDkimField o = old.get(i);
            HeaderField n = now.get(i);
            assertThat(n.name()).isEqualTo(o.name());
            assertThat(n.raw()).isEqualTo(o.raw());
            assertThat(n.toString()).isEqualTo(o.toString());
            assertThat(DkimFields.value(n)).isEqualTo(o.value());
            assertThat(DkimFields.colon(n)).isEqualTo(o.indexOfColon());
            for (String name : List.of("From", "DKIM-Signature", "A", "x", "")) {
                assertThat(n.is(name)).isEqualTo(o.is(name));
            }
        }
        assertThat(b.readAllBytes()).isEqualTo(a.readAllBytes());
        // in place
        List<OldDkimField> inPlace = OldDkimBlock.fields(message, message.length);
        List<HeaderField> nowInPlace = HeaderBlock.parse(message, HeaderBlock.LineEnds.CRLF).fields();
        assertThat(nowInPlace).extracting(HeaderField::toString)
                .containsExactlyElementsOf(inPlace.stream().map(OldDkimField::toString).toList());
        // HeaderBytes
        InputStream c = in(message);
        InputStream d = in(message);
        assertThat(HeaderBlock.read(d).toByteArray()).isEqualTo(OldHeaderBytes.read(c).toArray());
        assertThat(d.readAllBytes()).isEqualTo(c.readAllBytes());
        // DMARC, whole message and on the header bytes
        dmarc(OldDmarcField.parse(message), HeaderBlock.parse(message, HeaderBlock.LineEnds.LF).namedFields());
        OldHeaderBytes hb = OldHeaderBytes.read(in(message));
        dmarc(OldDmarcField.parse(hb.buffer(), hb.length()), HeaderBlock.read(in(message)).as(HeaderBlock.LineEnds.LF).namedFields());
        // DSN
        for (int max : new int[] {3, 17, 1 << 20}) {
            assertThat(HeaderBlock.excerpt(in(message), max).toByteArray())
                    .isEqualTo(OldHeaderSection.read(in(message), max));
        }
    }

    private static void dmarc(List<OldDmarcField> old, List<HeaderField> now) {
        assertThat(now).hasSize(old.size());
        for (int i = 0; i < old.size(); i++) {
            OldDmarcField o = old.get(i);
            HeaderField n = now.get(i);
            assertThat(n.start()).isEqualTo(o.start());
            assertThat(n.end()).isEqualTo(o.end());
            assertThat(n.value()).isEqualTo(o.value());
            for (String name : List.of("From", "DKIM-Signature", "Authentication-Results", "A", "x")) {
                assertThat(n.isLeniently(name)).isEqualTo(o.named(name));
            }
            assertThat(n.isLeniently(o.name())).isTrue();
        }
    }
}
