package dev.tern.queue.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.BounceSettings;
import dev.tern.delivery.Outcome;
import dev.tern.mail.Envelope;
import dev.tern.mail.Recipient;
import dev.tern.queue.StoredMessage;
import dev.tern.smtp.protocol.DotStuffer;
import dev.tern.smtp.protocol.MessageReader;
import dev.tern.smtp.protocol.SmtpInput;
import jakarta.mail.internet.ContentType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notices that cannot be turned against their receivers: no bare CR or LF from the original message smuggled
 * into a bounce, no boundary known in advance, no success notices to a sender an MX client made up.
 */
class NoticeSafetyTest {

    static final String CONTENT = DsnSinkTest.CONTENT;

    @TempDir
    Path data;

    /** The spool, sink and helpers of {@link DsnSinkTest}, used as a fixture (its own tests run there). */
    private final DsnSinkTest fixture = new DsnSinkTest();
    private DsnSink sink;

    @BeforeEach
    void open() throws IOException {
        fixture.data = data;
        fixture.open();
        sink = fixture.sink;
    }

    private static Recipient rcpt(String address, String orcpt, Recipient.Notify... notify) {
        return DsnSinkTest.rcpt(address, orcpt, notify);
    }

    private static ParsedDsn parse(StoredMessage notice) throws Exception {
        return DsnSinkTest.parse(notice);
    }

    private StoredMessage original(String sender, Envelope.Ret ret, String envid, List<Recipient> recipients)
            throws IOException {
        return fixture.original(sender, ret, envid, recipients);
    }

    private StoredMessage original(String sender, Envelope.Ret ret, String envid, List<Recipient> recipients,
                                   String content) throws IOException {
        return fixture.original(sender, ret, envid, recipients, content);
    }

    private StoredMessage original(String sender, Envelope.Ret ret, String envid, List<Recipient> recipients,
                                   String content, String authUser, boolean trusted) throws IOException {
        return fixture.original(sender, ret, envid, recipients, content, authUser, trusted);
    }

    private List<StoredMessage> notices(StoredMessage... originals) throws IOException {
        return fixture.notices(originals);
    }

    private DsnSink sink(BounceSettings settings) {
        return fixture.sink(settings);
    }

    /** A header block full of smuggling attempts: {@code \r.\r}, {@code \n.\n}, bare CR and LF parts. */
    static final String SMUGGLER = "Received: from client.example\r\nSubject: hi\r.\rMAIL FROM:<evil@x.example>\r\n"
            + "X-A: b\n.\nRCPT TO:<victim@y.example>\r\nX-B: c\r.\r\nX-C: d\r\n.\r\nX-D: \rDATA\n\r\n"
            + "body\r.\rbody\n.\nend\r\n";

    private static byte[] content(StoredMessage notice) throws IOException {
        try (InputStream in = notice.content().open()) {
            return in.readAllBytes();
        }
    }

    private static void assertStrictCrlf(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\r') {
                assertThat(i + 1 < data.length && data[i + 1] == '\n').as("bare CR at %d", i).isTrue();
            } else if (data[i] == '\n') {
                assertThat(i > 0 && data[i - 1] == '\r').as("bare LF at %d", i).isTrue();
            }
        }
    }

    /** What a receiver of the notice sees after DATA: strict reading ends at the real end, with it all. */
    private static void assertNothingSmuggled(byte[] notice) throws IOException {
        byte[] wire = DotStuffer.stuff(notice);
        String text = new String(wire, 0, wire.length - 3, StandardCharsets.ISO_8859_1);
        // a lax receiver: any of CR, LF, CRLF ends a line; none may be a lone dot before the terminator
        assertThat(text.split("\r\n|\r|\n", -1)).doesNotContain(".");
        byte[] session = Arrays.copyOf(wire, wire.length + 6);
        System.arraycopy("NEXT\r\n".getBytes(StandardCharsets.US_ASCII), 0, session, wire.length, 6);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        MessageReader strict = new MessageReader(received, MessageReader.Mode.DATA, Long.MAX_VALUE, 100_000, false);
        SmtpInput input = new SmtpInput(new ByteArrayInputStream(session), 7);
        assertThat(strict.readData(input)).isTrue();
        assertThat(strict.problem()).isEqualTo(MessageReader.Problem.NONE);
        assertThat(received.toByteArray()).isEqualTo(notice);
    }

    @Test
    void aBounceOfASmugglersHeaderHasNoBareCrAndNothingToUnstuffEarly() throws Exception {
        Recipient r = rcpt("bob@example.net", null);
        StoredMessage headersOnly = original("alice@example.org", Envelope.Ret.HDRS, null, List.of(r), SMUGGLER);
        StoredMessage whole = original("alice@example.org", Envelope.Ret.FULL, null, List.of(r), SMUGGLER);
        sink.failed(headersOnly, List.of(Outcome.failed(r, "5.1.1", "550 no", "mx.example.net")));
        sink.failed(whole, List.of(Outcome.failed(r, "5.1.1", "550 no", "mx.example.net")));

        List<StoredMessage> notices = notices(headersOnly, whole);
        assertThat(notices).hasSize(2);
        for (StoredMessage notice : notices) {
            byte[] dsn = content(notice);
            assertStrictCrlf(dsn);
            assertNothingSmuggled(dsn);
            String text = new String(dsn, StandardCharsets.ISO_8859_1);
            // the bare line ends became folds: the smuggled commands are still inside their fields, not lines
            assertThat(text).contains("Subject: hi\r\n .\r\n MAIL FROM:<evil@x.example>\r\n",
                    "X-A: b\r\n .\r\n RCPT TO:<victim@y.example>\r\n");
            assertThat(parse(notice).message.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        }
        assertThat(parse(notices.get(0)).returned().isMimeType("text/rfc822-headers")
                ^ parse(notices.get(1)).returned().isMimeType("text/rfc822-headers")).isTrue();
    }

    @Test
    void theReturnedBodyIsStrictCrlfToo() throws IOException {
        byte[] out = ReturnedText.normalize("A: b\r\n\r\nx\ry\nz\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo("A: b\r\n\r\nx\r\ny\r\nz\r\n.\r\n");
        byte[] emptyLineMade = ReturnedText.normalize("A: b\r\n\rB: c\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(emptyLineMade, StandardCharsets.US_ASCII)).isEqualTo("A: b\r\n\r\nB: c\r\n");
    }

    @Test
    void twoNoticesHaveUnrelatedBoundaries() throws Exception {
        Recipient r = rcpt("bob@example.net", null);
        StoredMessage first = original("alice@example.org", null, null, List.of(r));
        StoredMessage second = original("alice@example.org", null, null, List.of(r));
        sink.failed(first, List.of(Outcome.failed(r, "5.1.1", "550 no", "mx.example.net")));
        sink.failed(second, List.of(Outcome.failed(r, "5.1.1", "550 no", "mx.example.net")));

        List<String> boundaries = notices(first, second).stream().map(n -> {
            try {
                return new ContentType(parse(n).message.getContentType()).getParameter("boundary");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertThat(boundaries).hasSize(2).doesNotHaveDuplicates();
        for (int i = 0; i < 2; i++) {
            String id = notices(first, second).get(i).id().value();
            assertThat(boundaries.get(i)).doesNotContain(id).doesNotContain("mx.test").hasSizeGreaterThan(32);
        }
    }

    /** The backscatter attack: an MX client names a victim as sender and asks for a notice per recipient. */
    @Test
    void anMxClientsNotifySuccessGetsNoSuccessNotice() throws Exception {
        Recipient r = rcpt("bob@local.test", null, Recipient.Notify.SUCCESS);
        StoredMessage fromTheWorld = original("victim@example.org", null, null, List.of(r), CONTENT, null, false);
        sink.delivered(fromTheWorld, List.of(Outcome.delivered(r, "local.test/bob")));
        assertThat(notices(fromTheWorld)).isEmpty();

        StoredMessage trusted = original("app@example.org", null, null, List.of(r), CONTENT, null, true);
        sink.delivered(trusted, List.of(Outcome.delivered(r, "local.test/bob")));
        assertThat(notices(fromTheWorld, trusted)).hasSize(1);
    }

    @Test
    void successNoticesCanBeHonouredForAllOrForNone() throws Exception {
        Recipient r = rcpt("bob@local.test", null, Recipient.Notify.SUCCESS);
        StoredMessage fromTheWorld = original("someone@example.org", null, null, List.of(r), CONTENT, null, false);
        sink(new BounceSettings(Duration.ZERO, 1 << 20, BounceSettings.SuccessNotices.ALL))
                .delivered(fromTheWorld, List.of(Outcome.delivered(r, "local.test/bob")));
        assertThat(notices(fromTheWorld)).hasSize(1);

        StoredMessage ours = original("alice@example.org", null, null, List.of(r), CONTENT, "alice@example.org", false);
        sink(new BounceSettings(Duration.ZERO, 1 << 20, BounceSettings.SuccessNotices.NONE))
                .delivered(ours, List.of(Outcome.delivered(r, "local.test/bob")));
        assertThat(notices(fromTheWorld, ours)).hasSize(1); // still only the first
    }

    /** Failure notices are owed to every sender once a message is accepted (RFC 5321 §6.1). */
    @Test
    void failuresAreStillReportedToTheWorld() throws Exception {
        Recipient r = rcpt("bob@example.net", null);
        StoredMessage fromTheWorld = original("someone@example.org", null, null, List.of(r), CONTENT, null, false);
        sink.failed(fromTheWorld, List.of(Outcome.failed(r, "5.1.1", "550 no", "mx.example.net")));
        assertThat(notices(fromTheWorld)).hasSize(1);
    }
}
