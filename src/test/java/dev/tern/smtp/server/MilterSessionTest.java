package dev.tern.smtp.server;

import static dev.tern.milter.FakeMilter.indexed;
import static dev.tern.milter.FakeMilter.packet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.MilterSettings;
import dev.tern.milter.FakeMilter;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The milter stages of a whole session against a scripted milter: what it is sent, and what its answers do. */
class MilterSessionTest {

    private static final String ONE_MESSAGE = "EHLO c.example\r\nMAIL FROM:<a@remote.example> BODY=8BITMIME\r\n"
            + "RCPT TO:<alice@localhost>\r\nDATA\r\nSubject: x\r\nTo: alice@localhost\r\n\r\nbody\r\n.\r\nQUIT\r\n";
    private static final String QUEUED = "250 2.0.0 OK: queued as ";
    private static final String TEMPFAIL = "451 4.7.1 Service unavailable - try again later";

    private final FakeMilter milter;
    private final SessionHarness harness = new SessionHarness();

    MilterSessionTest() throws IOException {
        milter = new FakeMilter();
        harness.milters = List.of(settings(milter.address(), MilterSettings.DefaultAction.TEMPFAIL));
    }

    @AfterEach
    void stop() throws IOException {
        milter.close();
    }

    private static MilterSettings settings(String address, MilterSettings.DefaultAction action) {
        Duration t = Duration.ofSeconds(10);
        return new MilterSettings("fake", MilterSettings.Address.parse(address), List.of(), action, t, t, t, t);
    }

    /** Short waits, for the milter that never answers. */
    private void impatient(MilterSettings.DefaultAction action) {
        Duration t = Duration.ofMillis(300);
        harness.milters = List.of(new MilterSettings("fake", MilterSettings.Address.parse(milter.address()), List.of(),
                action, t, t, t, t));
    }

    @Test
    void everyStageReachesTheMilterInPostfixOrder() {
        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).anyMatch(l -> l.startsWith(QUEUED));
        milter.settled();
        assertThat(milter.commands()).isEqualTo("OCHMRTLLLNBEQ");
        FakeMilter.Packet connect = milter.received('C').get(0);
        assertThat(connect.strings().get(0)).isEqualTo("[192.0.2.1]");
        assertThat(connect.data()[connect.strings().get(0).length() + 1]).isEqualTo((byte) '4');
        assertThat(milter.received('H').get(0).strings()).containsExactly("c.example");
        assertThat(milter.received('M').get(0).strings()).containsExactly("<a@remote.example>", "BODY=8BITMIME");
        assertThat(milter.received('R').get(0).strings()).containsExactly("<alice@localhost>");
        List<List<String>> headers = milter.received('L').stream().map(FakeMilter.Packet::strings).toList();
        assertThat(headers).extracting(h -> h.get(0)).containsExactly("Received", "Subject", "To");
        assertThat(headers.get(1)).containsExactly("Subject", "x");
        assertThat(milter.received('B').get(0).text()).isEqualTo("body\r\n");
        List<String> macros = milter.received('D').stream().map(p -> p.code() + p.text()).toList();
        assertThat(String.join("|", macros)).contains("j\u0000tern.test\u0000", "{daemon_name}\u0000mx\u0000",
                "{client_addr}\u0000192.0.2.1\u0000", "{mail_addr}\u0000a@remote.example\u0000", "{rcpt_addr}\u0000alice@localhost\u0000");
        String queueId = harness.spool.committed.get(0).id().value();
        assertThat(milter.received('D').stream().filter(p -> p.data()[0] == 'E').findFirst().orElseThrow().strings())
                .containsExactly("Ei", queueId);
    }

    @Test
    void rejectAtRcptRefusesThatRecipient() {
        milter.on('R', packet('r'));

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).contains("550 5.7.1 Command rejected", "554 5.5.1 No valid recipients");
        assertThat(harness.spool.committed).isEmpty();
    }

    @Test
    void tempfailAtMailRefusesTheTransaction() {
        milter.on('M', packet('t'));

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).contains(TEMPFAIL);
        assertThat(harness.spool.committed).isEmpty();
    }

    @Test
    void rejectAtConnectGives554AndOnlyQuit() {
        milter.on('C', packet('r'));

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies.get(0)).isEqualTo("554 5.7.1 Command rejected");
        assertThat(replies).contains("503 5.5.1 Connection refused by policy; send QUIT");
    }

    @Test
    void theMilterReplyCodeIsPassedOnWhenValid() {
        milter.on('E', packet('y', "554 5.7.1 Gtube pattern"));

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).contains("554 5.7.1 Gtube pattern");
        assertThat(harness.spool.committed).isEmpty();
        assertThat(harness.spool.openDrafts).isZero();
    }

    @Test
    void aMultiLineReplyCodeKeepsItsLines() {
        milter.on('R', packet('y', "450-4.2.0 first\r\n450 4.2.0 second"));

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).contains("450-4.2.0 first", "450 4.2.0 second");
    }

    @Test
    void anInvalidReplyCodeIsMisbehaviourAndGetsTheDefaultAction() {
        milter.on('E', packet('y', "250 2.0.0 fine, really"));

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).contains(TEMPFAIL);
        assertThat(harness.spool.committed).isEmpty();
    }

    @Test
    void discardAnswers250AndStoresNothing() {
        milter.on('E', packet('d'));

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).anyMatch(l -> l.startsWith(QUEUED));
        assertThat(harness.spool.committed).isEmpty();
        assertThat(harness.spool.openDrafts).isZero();
    }

    @Test
    void quarantineHoldsTheMessage() {
        milter.on('E', packet('q', "virus found"), packet('c'));

        harness.run(ONE_MESSAGE);

        assertThat(harness.spool.committed).hasSize(1);
        assertThat(harness.spool.committed.get(0).holdReason()).isEqualTo("milter fake: virus found");
    }

    @Test
    void headerChangesApplyInOrderToTheStoredMessage() {
        milter.on('E', packet('h', "X-Spam", "yes"), indexed('i', 0, "X-First", "top"),
                indexed('m', 1, "Subject", "[SPAM] x"), indexed('m', 1, "To", ""),
                packet('h', "X-Folded", "a\n b"), packet('a'));

        harness.run(ONE_MESSAGE);

        String text = harness.spool.committed.get(0).text();
        String afterReceived = text.substring(text.indexOf("\r\nSubject:") + 2);
        assertThat(text).startsWith("X-First: top\r\nReceived: ");
        assertThat(afterReceived).isEqualTo("Subject: [SPAM] x\r\nX-Spam: yes\r\nX-Folded: a\r\n b\r\n\r\nbody\r\n");
    }

    /** opendkim's one change: fields on top are kept beside the content, and the message is not copied. */
    @Test
    void fieldsInsertedAtTheTopAreStoredAboveTheMessageWithoutARewrite() {
        milter.on('E', indexed('i', 0, "Authentication-Results", "mx.example;\n dkim=none"),
                indexed('i', 0, "X-Top", "sent last"), packet('c'));

        harness.run(ONE_MESSAGE);

        assertThat(harness.spool.committed.get(0).text()).startsWith(
                "X-Top: sent last\r\nAuthentication-Results: mx.example;\r\n dkim=none\r\nReceived: ");
        assertThat(harness.spool.rewrites).isZero();
    }

    @Test
    void aFieldInsertedBelowTheTopStillRewritesTheMessage() {
        milter.on('E', indexed('i', 0, "X-First", "top"), indexed('i', 2, "X-Third", "under Received"), packet('c'));

        harness.run(ONE_MESSAGE);

        String text = harness.spool.committed.get(0).text();
        assertThat(text).startsWith("X-First: top\r\nReceived: ");
        assertThat(text.indexOf("\r\nX-Third: under Received\r\n")).isGreaterThan(text.indexOf("\r\nReceived: "));
        assertThat(harness.spool.rewrites).isEqualTo(1);
    }

    @Test
    void aReplacedBodyIsStoredWithCrlfLineEnds() {
        milter.on('E', new FakeMilter.Packet('b', "new\nbody\r\n".getBytes()), packet('c'));

        harness.run(ONE_MESSAGE);

        assertThat(harness.spool.committed.get(0).text()).endsWith("To: alice@localhost\r\n\r\nnew\r\nbody\r\n");
    }

    @Test
    void envelopeChangesReachTheQueue() {
        milter.on('E', packet('e', "<bounce@remote.example>"), packet('+', "<bob@localhost>"),
                packet('-', "<alice@localhost>"), packet('c'));

        harness.run(ONE_MESSAGE);

        var envelope = harness.spool.committed.get(0).envelope();
        assertThat(envelope.sender().toString()).isEqualTo("bounce@remote.example");
        assertThat(envelope.recipients()).extracting(r -> r.address().toString()).containsExactly("bob@localhost");
    }

    @Test
    void progressRestartsTheWaitAndSkipEndsTheBody() {
        milter.on('B', packet('s')).on('E', packet('p'), packet('p'), packet('c'));
        String big = ("x".repeat(98) + "\r\n").repeat(1500);

        List<String> replies = harness.run(ONE_MESSAGE.replace("body\r\n", big));

        assertThat(replies).anyMatch(l -> l.startsWith(QUEUED));
        assertThat(milter.received('B')).hasSize(1);
        assertThat(milter.received('B').get(0).data()).hasSize(65535);
    }

    @Test
    void rsetSendsAbort() {
        harness.run("EHLO c.example\r\nMAIL FROM:<a@remote.example>\r\nRSET\r\nQUIT\r\n");

        milter.settled();
        assertThat(milter.commands()).isEqualTo("OCHMAQ");
    }

    @Test
    void acceptAtConnectLeavesTheMilterOut() {
        milter.on('C', packet('a'));

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).anyMatch(l -> l.startsWith(QUEUED));
        milter.settled();
        assertThat(milter.commands()).isEqualTo("OCQ");
    }

    @Test
    void aLaterMilterSeesTheChangesOfAnEarlierOne() throws IOException {
        try (FakeMilter second = new FakeMilter()) {
            milter.on('E', packet('h', "X-First", "1"), packet('c'));
            harness.milters = List.of(settings(milter.address(), MilterSettings.DefaultAction.TEMPFAIL),
                    new MilterSettings("second", MilterSettings.Address.parse(second.address()), List.of(),
                            MilterSettings.DefaultAction.TEMPFAIL, Duration.ofSeconds(10), Duration.ofSeconds(10),
                            Duration.ofSeconds(10), Duration.ofSeconds(10)));

            harness.run(ONE_MESSAGE);

            assertThat(second.received('L')).extracting(p -> p.strings().get(0)).contains("X-First");
        }
    }

    @Test
    void aLaterMilterSeesAFieldAnEarlierOneInsertedAtTheTop() throws IOException {
        try (FakeMilter second = new FakeMilter()) {
            milter.on('E', indexed('i', 0, "X-First", "1"), packet('c'));
            harness.milters = List.of(settings(milter.address(), MilterSettings.DefaultAction.TEMPFAIL),
                    new MilterSettings("second", MilterSettings.Address.parse(second.address()), List.of(),
                            MilterSettings.DefaultAction.TEMPFAIL, Duration.ofSeconds(10), Duration.ofSeconds(10),
                            Duration.ofSeconds(10), Duration.ofSeconds(10)));

            harness.run(ONE_MESSAGE);

            assertThat(second.received('L').get(0).strings().get(0)).isEqualTo("X-First");
        }
    }

    @Test
    void aMilterThatClosesMidMessageGetsTheDefaultTempfail() {
        milter.on('B', new FakeMilter.Answer.Close());

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).contains(TEMPFAIL);
        assertThat(harness.spool.committed).isEmpty();
        assertThat(harness.spool.openDrafts).isZero();
    }

    @Test
    void aMilterThatClosesMidMessageUnderDefaultAcceptLetsTheMessageThroughUnchanged() {
        harness.milters = List.of(settings(milter.address(), MilterSettings.DefaultAction.ACCEPT));
        milter.on('B', new FakeMilter.Answer.Close());

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).anyMatch(l -> l.startsWith(QUEUED));
        assertThat(harness.spool.committed.get(0).text()).endsWith("Subject: x\r\nTo: alice@localhost\r\n\r\nbody\r\n");
    }

    @Test
    void aGarbageLengthGetsTheDefaultReject() {
        harness.milters = List.of(settings(milter.address(), MilterSettings.DefaultAction.REJECT));
        milter.on('R', new FakeMilter.Answer.Raw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'c'}));

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).contains("550 5.7.1 Command rejected");
        assertThat(harness.spool.committed).isEmpty();
    }

    @Test
    void anUnknownReplyGetsTheDefaultAction() {
        milter.on('H', packet('Z'));

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).contains(TEMPFAIL); // at MAIL: the failed milter's standing verdict
        assertThat(harness.spool.committed).isEmpty();
    }

    @Test
    void aMilterThatNeverAnswersTimesOutIntoTheDefaultAction() {
        impatient(MilterSettings.DefaultAction.QUARANTINE);
        milter.on('E', new FakeMilter.Answer.Hang());

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).anyMatch(l -> l.startsWith(QUEUED));
        assertThat(harness.spool.committed.get(0).holdReason()).contains("milter fake unavailable");
    }

    @Test
    void aMilterThatIsDownGetsTheDefaultAction() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        harness.milters = List.of(settings("inet:127.0.0.1:" + port, MilterSettings.DefaultAction.TEMPFAIL));

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies.get(0)).startsWith("220 ");
        assertThat(replies).contains(TEMPFAIL);
        assertThat(harness.spool.committed).isEmpty();

        harness.milters = List.of(settings("inet:127.0.0.1:" + port, MilterSettings.DefaultAction.ACCEPT));
        assertThat(harness.run(ONE_MESSAGE)).anyMatch(l -> l.startsWith(QUEUED));
    }
}
