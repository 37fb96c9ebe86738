package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SubmissionFixupsTest {

    private static final String DATE = "Sat, 28 Nov 2026 12:00:00 +0000";
    private static final String ID = "<ABC123@mx.tern.test>";

    private static String run(String message, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SubmissionFixups fixups = new SubmissionFixups(out, DATE, ID);
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            fixups.write(bytes, i, Math.min(chunk, bytes.length - i));
        }
        fixups.finish();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void addsBothBeforeTheEmptyLine() throws IOException {
        assertThat(run("From: a@b\r\nSubject: x\r\n\r\nDate: in the body\r\n", 1000))
                .isEqualTo("From: a@b\r\nSubject: x\r\nDate: " + DATE + "\r\nMessage-ID: " + ID + "\r\n\r\nDate: in the body\r\n");
    }

    @Test
    void keepsWhatIsThereWhateverTheCase() throws IOException {
        String message = "DATE: Fri, 27 Nov 2026 10:00:00 +0100\r\nmessage-id: <x@y>\r\n\r\nbody\r\n";
        assertThat(run(message, 1000)).isEqualTo(message);
    }

    @Test
    void aFoldedLineMentioningDateIsNotADateField() throws IOException {
        assertThat(run("Subject: hello\r\n Date: not a field\r\n\r\n", 1000))
                .contains("\r\nDate: " + DATE + "\r\n");
    }

    @Test
    void aMessageWithoutBodyGetsThemAtTheEnd() throws IOException {
        assertThat(run("Subject: no body\r\n", 1000))
                .isEqualTo("Subject: no body\r\nDate: " + DATE + "\r\nMessage-ID: " + ID + "\r\n");
    }

    @Property
    void chunkingDoesNotChangeTheResult(@ForAll @IntRange(min = 1, max = 40) int chunk) throws IOException {
        String message = "From: a@b\r\nSubject: " + "x".repeat(100) + "\r\n\r\nbody\r\n.\r\n";
        assertThat(run(message, chunk)).isEqualTo(run(message, 100_000));
    }

    @Test
    void anOverlongHeaderLineIsPassedThroughUnchanged() throws IOException {
        String longLine = "X-Long: " + "y".repeat(SubmissionFixups.MAX_HELD * 2) + "\r\n";
        String result = run(longLine + "Date: " + DATE + "\r\n\r\nbody\r\n", 333);
        assertThat(result).startsWith(longLine).contains("Message-ID: " + ID).doesNotContain("Date: " + DATE + "\r\nDate:");
    }
}
