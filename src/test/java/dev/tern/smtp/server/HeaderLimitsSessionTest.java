package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.ListenerSettings;
import dev.tern.config.TestLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The header limits of {@code [limits]}: an oversized header block and a looping message are read to their real end,
 * refused after it, and the session goes on (the attack: a header block of megabytes that every end-of-data check
 * would hold in memory, several times over).
 */
class HeaderLimitsSessionTest {

    private static final String ENVELOPE = "MAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@localhost>\r\n";
    private static final String SECOND = ENVELOPE + "DATA\r\nSubject: second\r\n\r\nfine\r\n.\r\n";

    /** {@code count} header lines of about 100 octets each. */
    private static String fields(String name, int count) {
        StringBuilder b = new StringBuilder(count * 100);
        for (int i = 0; i < count; i++) {
            b.append(name).append(": ").append(i).append(' ').append("x".repeat(90)).append("\r\n");
        }
        return b.toString();
    }

    private static List<String> accepted(List<String> replies) {
        return replies.stream().filter(l -> l.startsWith("250 2.0.0 OK: queued as ")).toList();
    }

    @Test
    void aTwoMebibyteHeaderIsRefusedWith552AndTheSessionGoesOn() {
        SessionHarness harness = new SessionHarness();
        String header = fields("X-Padding", 21_000); // about 2 MiB, under the 50 MB message limit

        List<String> replies = harness.run("EHLO c.example\r\n" + ENVELOPE + "DATA\r\n" + header
                + "\r\nbody\r\n.\r\nRSET\r\n" + SECOND + "QUIT\r\n");

        assertThat(header.length()).isGreaterThan(2 * 1024 * 1024);
        assertThat(replies).contains("552 5.3.4 Message header too large", "250 2.0.0 Reset state");
        assertThat(accepted(replies)).hasSize(1);
        assertThat(harness.spool.committed).singleElement().satisfies(m -> assertThat(m.text()).contains("fine"));
        // enforced while streaming: the refused draft never held much more than the limit
        assertThat(harness.spool.largestDiscarded).isLessThan(1024 * 1024 + 64 * 1024);
        assertThat(harness.spool.openDrafts).isZero();
    }

    @Test
    void aHeaderJustUnderTheLimitIsAccepted() {
        SessionHarness harness = new SessionHarness();
        harness.limits = TestLimits.with(harness.limits, "max_header_size", 64 * 1024);
        String header = fields("X-Padding", 600); // about 60 KiB

        List<String> replies = harness.run("EHLO c.example\r\n" + ENVELOPE + "DATA\r\n" + header
                + "\r\n" + fields("Body-Line", 2000) + ".\r\nQUIT\r\n");

        assertThat(accepted(replies)).hasSize(1); // a large body is not a large header
    }

    @Test
    void aMessageWithoutABodyIsAllHeader() {
        SessionHarness harness = new SessionHarness();
        harness.limits = TestLimits.with(harness.limits, "max_header_size", 64 * 1024);

        List<String> replies = harness.run("EHLO c.example\r\n" + ENVELOPE + "DATA\r\n" + fields("X-Padding", 700)
                + ".\r\n" + SECOND + "QUIT\r\n");

        assertThat(replies).contains("552 5.3.4 Message header too large");
        assertThat(accepted(replies)).hasSize(1);
    }

    @Test
    void bdatChunksAreBoundToo() {
        SessionHarness harness = new SessionHarness();
        harness.limits = TestLimits.with(harness.limits, "max_header_size", 64 * 1024);
        String message = fields("X-Padding", 700) + "\r\nbody\r\n";

        List<String> replies = harness.run("EHLO c.example\r\n" + ENVELOPE + "BDAT " + message.length()
                + " LAST\r\n" + message + "RSET\r\n" + SECOND + "QUIT\r\n");

        assertThat(replies).contains("552 5.3.4 Message header too large");
        assertThat(accepted(replies)).hasSize(1);
    }

    /** RFC 5321 §6.3: the message arrived through more hops than any honest route has. */
    @Test
    void moreReceivedFieldsThanTheLimitIsALoop() {
        SessionHarness harness = new SessionHarness();

        List<String> replies = harness.run("EHLO c.example\r\n" + ENVELOPE + "DATA\r\n" + fields("Received", 101)
                + "Subject: loop\r\n\r\nbody\r\n.\r\n" + SECOND + "QUIT\r\n");

        assertThat(replies).contains("554 5.4.6 Too many Received headers: mail loop?");
        assertThat(harness.spool.committed).singleElement().satisfies(m -> assertThat(m.text()).contains("fine"));
    }

    @Test
    void theLimitItselfIsAcceptedAndOnlyFieldsInTheHeaderCount() {
        SessionHarness harness = new SessionHarness();

        List<String> replies = harness.run("EHLO c.example\r\n" + ENVELOPE + "DATA\r\n"
                + fields("received ", 60) + fields("RECEIVED", 40)
                + fields("Received-SPF", 5) + "X-Received: no\r\n"
                + "\r\n" + fields("Received", 200) + ".\r\nQUIT\r\n");

        assertThat(accepted(replies)).hasSize(1); // 100 in the header, the rest are not Received fields
    }

    /** Our own Received: field, added above the client's, is not the client's hop. */
    @Test
    void ourOwnTraceFieldIsNotCounted() {
        SessionHarness harness = new SessionHarness();
        harness.role = ListenerSettings.Role.MX;
        harness.limits = TestLimits.with(harness.limits, "max_received_headers", 10);

        List<String> replies = harness.run("EHLO c.example\r\n" + ENVELOPE + "DATA\r\n" + fields("Received", 10)
                + "\r\nbody\r\n.\r\n" + ENVELOPE + "DATA\r\n" + fields("Received", 11) + "\r\nbody\r\n.\r\nQUIT\r\n");

        assertThat(accepted(replies)).hasSize(1);
        assertThat(replies).contains("554 5.4.6 Too many Received headers: mail loop?");
    }
}
