package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a client sends, the session answers with well-formed replies or closes cleanly; never a 4.3.0. */
class SessionProperties {

    @Property(tries = 300)
    void anyBytesGetRepliesNeverAnInternalError(@ForAll("clientBytes") byte[] input) {
        SessionHarness harness = new SessionHarness();
        List<String> replies = harness.run(input);

        assertThat(replies).isNotEmpty();
        assertThat(replies.get(0)).startsWith("220 ");
        assertThat(replies).allMatch(line -> line.matches("[2-5][0-9]{2}[ -].*"), "every line is a reply");
        assertThat(replies).noneMatch(line -> line.contains("4.3.0"));
        assertThat(harness.spool.openDrafts).isZero();
    }

    @Provide
    Arbitrary<byte[]> clientBytes() {
        Arbitrary<String> token = Arbitraries.of(List.of("EHLO a.example\r\n", "HELO a\r\n", "MAIL FROM:<a@b.example>\r\n",
                "MAIL FROM:<> SIZE=9 BODY=BINARYMIME\r\n", "RCPT TO:<alice@localhost>\r\n", "RCPT TO:<x@y.example>\r\n",
                "DATA\r\n", "BDAT 3\r\n", "BDAT 2 LAST\r\n", "BDAT\r\n", ".\r\n", "\r\n.\r\n", "\n.\n", "\r", "\n",
                "\0", "RSET\r\n", "NOOP\r\n", "xyz", ".", "\u00ff", "QUIT\r\n", "AUTH PLAIN\r\n", "STARTTLS\r\n"));
        Arbitrary<byte[]> structured = token.list().ofMaxSize(40)
                .map(parts -> String.join("", parts).getBytes(StandardCharsets.ISO_8859_1));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        return Arbitraries.oneOf(structured, random);
    }
}
