package dev.tern.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.header.HeaderField;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class LegacySendmailProperties {

    @Provide
    Arbitrary<String> pieces() {
        return Arbitraries.of("A", ":", " ", "\t", "\r\n", "\r", "\n", "x: y", "From:", "To: a@b,\n c@d", "é",
                "\u000b", "Bcc", "From ", ".", "\n.\n", "\r\n\r\n", "Subject : x", "\u00ff");
    }

    @Property(tries = 3000)
    void sendmailAsBefore(@ForAll @Size(max = 40) List<@From("pieces") String> parts, @ForAll boolean dotEnds,
                          @ForAll boolean utf8) throws Exception {
        byte[] message = String.join("", parts).getBytes(utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        check(message, dotEnds);
    }

    @Property(tries = 1000)
    void anyBytes(@ForAll byte[] message, @ForAll boolean dotEnds) throws Exception {
        check(message, dotEnds);
    }

    private static void check(byte[] message, boolean dotEnds) throws Exception {
        OldSendmailInput old = OldSendmailInput.read(new ByteArrayInputStream(message), dotEnds, 1 << 20);
        SendmailInput now = SendmailInput.read(new ByteArrayInputStream(message), dotEnds, 1 << 20);
        assertThat(now.headers()).hasSize(old.headers().size());
        for (int i = 0; i < old.headers().size(); i++) {
            OldSendmailInput.Field o = old.headers().get(i);
            HeaderField n = now.headers().get(i);
            assertThat(n.name()).isEqualTo(o.name());
            assertThat(n.value().strip()).isEqualTo(o.value());
            ByteArrayOutputStream lines = new ByteArrayOutputStream();
            for (byte[] l : o.lines()) {
                lines.writeBytes(l);
                lines.writeBytes(new byte[] {'\r', '\n'});
            }
            assertThat(now.lines(n)).isEqualTo(lines.toByteArray());
            for (String name : List.of("From", "To", "Bcc", "A", "x", "Date")) {
                assertThat(n.is(name)).isEqualTo(o.is(name));
                assertThat(now.has(name)).isEqualTo(old.has(name));
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] l : old.body()) {
            body.writeBytes(l);
            body.writeBytes(new byte[] {'\r', '\n'});
        }
        assertThat(now.body()).isEqualTo(body.toByteArray());
    }
}
