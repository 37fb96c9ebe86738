package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
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

class LegacyFixupsProperties {

    @Provide
    Arbitrary<String> pieces() {
        return Arbitraries.of("A", ":", " ", "\t", "\r\n", "\r", "\n", "x: y", "Date", "date :", "Message-ID:",
                "\u000b", "\u0001", "é", "\r\n\r\n", "\u00ff", " ".repeat(97), "Z".repeat(300));
    }

    @Property(tries = 3000)
    void fixupsAsBefore(@ForAll @Size(max = 40) List<@From("pieces") String> parts, @ForAll boolean utf8,
                        @ForAll @IntRange(min = 1, max = 9) int step) throws Exception {
        check(String.join("", parts).getBytes(utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1), step);
    }

    @Property(tries = 1000)
    void anyBytes(@ForAll byte[] message, @ForAll @IntRange(min = 1, max = 9) int step) throws Exception {
        check(message, step);
    }

    private static void check(byte[] message, int step) throws Exception {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        OldSubmissionFixups old = new OldSubmissionFixups(a, "D", "<m@x>");
        SubmissionFixups now = new SubmissionFixups(b, "D", "<m@x>");
        for (int i = 0; i < message.length; i += step) {
            int n = Math.min(step, message.length - i);
            old.write(message, i, n);
            now.write(message, i, n);
        }
        old.finish();
        now.finish();
        assertThat(b.toByteArray()).isEqualTo(a.toByteArray());
    }
}
