package dev.tern.queue.dsn;

import static dev.tern.queue.dsn.DsnSinkTest.CONTENT;
import static dev.tern.queue.dsn.DsnSinkTest.T0;
import static dev.tern.queue.dsn.DsnSinkTest.T1;
import static dev.tern.queue.dsn.DsnSinkTest.address;
import static dev.tern.queue.dsn.DsnSinkTest.rcpt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.BounceSettings;
import dev.tern.delivery.Outcome;
import dev.tern.mail.Address;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import dev.tern.queue.FileSpool;
import dev.tern.queue.Spool;
import dev.tern.queue.StoredMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notices about messages sent with REQUIRETLS or {@code TLS-Required: No} (RFC 8689 §5, §6), from a real spool:
 * what their envelope asks of the courier and what of the original they carry.
 */
class RequireTlsNoticeTest {

    @TempDir
    Path data;

    private FileSpool spool;
    private DsnSink sink;

    @BeforeEach
    void open() throws IOException {
        spool = new FileSpool(data);
        sink = new DsnSink(spool, "mx.test", address("postmaster@local.test"), d -> d.key().equals("local.test"),
                BounceSettings.defaults(), Clock.fixed(T1, ZoneOffset.UTC));
    }

    private StoredMessage original(String sender, Envelope.Ret ret, Recipient rcpt, boolean requireTls,
                                   boolean tlsOptional) throws IOException {
        Envelope e = new Envelope(sender.isEmpty() ? Address.NULL : address(sender), List.of(rcpt),
                Envelope.BodyType.EIGHT_BIT_MIME, false, ret, null, "client.example", "192.0.2.1", null, false, T0,
                requireTls, tlsOptional);
        try (Spool.Draft draft = spool.create()) {
            draft.content().write(CONTENT.getBytes(StandardCharsets.UTF_8));
            draft.commit(e);
            return spool.load(draft.id());
        }
    }

    private StoredMessage onlyNotice(StoredMessage... originals) throws IOException {
        List<QueueId> skip = java.util.Arrays.stream(originals).map(StoredMessage::id).toList();
        List<QueueId> notices = spool.committed().stream().filter(id -> !skip.contains(id)).toList();
        assertThat(notices).hasSize(1);
        return spool.load(notices.get(0));
    }

    private static String text(StoredMessage notice) throws IOException {
        try (InputStream in = notice.content().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** §5: the bounce is sent with REQUIRETLS and returns the headers alone, RET=FULL notwithstanding. */
    @Test
    void aFailureNoticeGoesWithRequireTlsAndOnlyTheHeaders() throws Exception {
        Recipient bob = rcpt("bob@example.net", null);
        StoredMessage m = original("alice@example.org", Envelope.Ret.FULL, bob, true, false);
        sink.failed(m, List.of(Outcome.failed(bob, "5.7.30", "REQUIRETLS support required", "mx.example.net")));

        StoredMessage notice = onlyNotice(m);
        assertThat(notice.envelope().sender().isNull()).as("§5: an empty MAIL FROM, as RFC 5321 asks").isTrue();
        assertThat(notice.envelope().requireTls()).isTrue();
        assertThat(notice.envelope().tlsOptional()).isFalse();
        ParsedDsn dsn = DsnSinkTest.parse(notice);
        assertThat(dsn.returned().isMimeType("text/rfc822-headers")).isTrue();
        assertThat(dsn.returnedText()).contains("Subject: quarterly figures");
        assertThat(text(notice)).doesNotContain("The body, line one.");
        assertThat(dsn.text()).contains("The headers of the original message are attached.", "5.7.30");
    }

    /** The same message without REQUIRETLS comes back whole: the difference is the flag alone. */
    @Test
    void withoutRequireTlsTheSameFailureReturnsTheWholeMessage() throws Exception {
        Recipient bob = rcpt("bob@example.net", null);
        StoredMessage m = original("alice@example.org", Envelope.Ret.FULL, bob, false, false);
        sink.failed(m, List.of(Outcome.failed(bob, "5.1.1", "550 no such user", "mx.example.net")));

        StoredMessage notice = onlyNotice(m);
        assertThat(notice.envelope().requireTls()).isFalse();
        assertThat(DsnSinkTest.parse(notice).returned().isMimeType("message/rfc822")).isTrue();
        assertThat(text(notice)).contains("The body, line one.");
    }

    /** §5 speaks of every notice about a REQUIRETLS message, "whatever the issue": a delay warning too. */
    @Test
    void aDelayNoticeGoesWithRequireTlsToo() throws Exception {
        Recipient bob = rcpt("bob@example.net", null, Recipient.Notify.DELAY);
        StoredMessage m = original("alice@example.org", null, bob, true, false);
        sink.delayed(m, List.of(Outcome.deferred(bob, "4.4.1", "no answer", "mx.example.net")), T1.plusSeconds(3600));

        StoredMessage notice = onlyNotice(m);
        assertThat(notice.envelope().requireTls()).isTrue();
        assertThat(DsnSinkTest.parse(notice).returned().isMimeType("text/rfc822-headers")).isTrue();
    }

    /** A REQUIRETLS bounce that failed goes to the postmaster under REQUIRETLS as well. */
    @Test
    void thePostmasterCopyOfAFailedRequireTlsBounceKeepsIt() throws Exception {
        Recipient alice = rcpt("alice@example.org", null);
        StoredMessage bounce = original("", null, alice, true, false);
        sink.failed(bounce, List.of(Outcome.failed(alice, "5.7.30", "REQUIRETLS support required", "mx.example.org")));

        StoredMessage copy = onlyNotice(bounce);
        assertThat(copy.envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("postmaster@local.test");
        assertThat(copy.envelope().requireTls()).isTrue();
        assertThat(text(copy)).doesNotContain("The body, line one.");
        assertThat(DsnSinkTest.parse(copy).text()).contains("The headers of the original message are attached.")
                .doesNotContain("the bounce is attached");
    }

    /** §6: a notice carries the sender's "TLS-Required: No" over, and returns what it would without it. */
    @Test
    void aNoticeAboutATlsOptionalMessageIsTlsOptional() throws Exception {
        Recipient bob = rcpt("bob@example.net", null);
        StoredMessage m = original("alice@example.org", null, bob, false, true);
        sink.failed(m, List.of(Outcome.failed(bob, "5.1.1", "550 no such user", "mx.example.net")));

        StoredMessage notice = onlyNotice(m);
        assertThat(notice.envelope().tlsOptional()).isTrue();
        assertThat(notice.envelope().requireTls()).isFalse();
        assertThat(DsnSinkTest.parse(notice).returned().isMimeType("message/rfc822")).isTrue();
    }
}
