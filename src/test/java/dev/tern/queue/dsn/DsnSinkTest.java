package dev.tern.queue.dsn;

import static dev.tern.queue.dsn.ParsedDsn.field;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.BounceSettings;
import dev.tern.delivery.Outcome;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import dev.tern.queue.FileSpool;
import dev.tern.queue.Spool;
import dev.tern.queue.StoredMessage;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DsnSinkTest {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    static final Instant T1 = T0.plus(Duration.ofMinutes(7));
    static final String CONTENT = "Received: from client.example\r\nFrom: Alice <alice@example.org>\r\n"
            + "Subject: quarterly figures\r\nMessage-ID: <q1@example.org>\r\n\r\nThe body, line one.\r\n";

    @TempDir
    Path data;

    FileSpool spool;
    DsnSink sink;

    @BeforeEach
    void open() throws IOException {
        spool = new FileSpool(data);
        sink = sink(BounceSettings.defaults());
    }

    DsnSink sink(BounceSettings settings) {
        return new DsnSink(spool, "mx.test", address("postmaster@local.test"),
                d -> d.key().equals("local.test"), settings, Clock.fixed(T1, ZoneOffset.UTC));
    }

    static Address address(String text) {
        int at = text.lastIndexOf('@');
        return new Address(text.substring(0, at), Domain.of(text.substring(at + 1)));
    }

    static Recipient rcpt(String address, String orcpt, Recipient.Notify... notify) {
        return new Recipient(address(address), Set.of(notify), orcpt);
    }

    StoredMessage original(String sender, Envelope.Ret ret, String envid, List<Recipient> recipients)
            throws IOException {
        return original(sender, ret, envid, recipients, CONTENT);
    }

    StoredMessage original(String sender, Envelope.Ret ret, String envid, List<Recipient> recipients,
                           String content) throws IOException {
        return original(sender, ret, envid, recipients, content, sender.isEmpty() ? null : sender, false);
    }

    /** A message as the session recorded it: by default from one of our users, authenticated as its sender. */
    StoredMessage original(String sender, Envelope.Ret ret, String envid, List<Recipient> recipients,
                           String content, String authUser, boolean trusted) throws IOException {
        Envelope e = new Envelope(sender.isEmpty() ? Address.NULL : address(sender), recipients,
                Envelope.BodyType.EIGHT_BIT_MIME, false, ret, envid, "client.example", "192.0.2.1", authUser,
                trusted, T0);
        try (Spool.Draft draft = spool.create()) {
            draft.content().write(content.getBytes(StandardCharsets.UTF_8));
            draft.commit(e);
            return spool.load(draft.id());
        }
    }

    /** The notices the sink committed, besides the originals. */
    List<StoredMessage> notices(StoredMessage... originals) throws IOException {
        List<QueueId> skip = java.util.Arrays.stream(originals).map(StoredMessage::id).toList();
        return spool.committed().stream().filter(id -> !skip.contains(id)).map(id -> {
            try {
                return spool.load(id);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }

    static ParsedDsn parse(StoredMessage notice) throws Exception {
        try (InputStream in = notice.content().open()) {
            return ParsedDsn.parse(in.readAllBytes());
        }
    }

    @Test
    void aFailureNoticeIsAMultipartReportWithEveryField() throws Exception {
        Recipient remote = rcpt("bob@example.net", "rfc822;Bob+2Bx@example.net");
        Recipient here = rcpt("nobody@local.test", null);
        StoredMessage m = original("alice@example.org", null, "QQ314159", List.of(remote, here));
        sink.failed(m, List.of(
                Outcome.failed(remote, "5.1.1", "550 5.1.1 <bob@example.net>: no such user", "mx.example.net[192.0.2.7]:25"),
                Outcome.failed(here, "5.1.1", "no such user", "local")));

        StoredMessage notice = notices(m).get(0);
        assertThat(notices(m)).hasSize(1);
        assertThat(notice.envelope().sender().isNull()).isTrue();
        assertThat(notice.envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("alice@example.org");

        ParsedDsn dsn = parse(notice);
        MimeMessage msg = dsn.message;
        ContentType type = new ContentType(msg.getContentType());
        assertThat(type.getBaseType()).isEqualTo("multipart/report");
        assertThat(type.getParameter("report-type")).isEqualTo("delivery-status");
        assertThat(msg.getHeader("From", null)).contains("MAILER-DAEMON@mx.test");
        assertThat(msg.getHeader("To", null)).isEqualTo("<alice@example.org>");
        assertThat(msg.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(msg.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(msg.getHeader("MIME-Version", null)).isEqualTo("1.0");
        assertThat(msg.getMessageID()).isEqualTo("<" + notice.id() + ".dsn@mx.test>");
        assertThat(msg.getSentDate()).isEqualTo(java.util.Date.from(T1));
        assertThat(dsn.report.getCount()).isEqualTo(3);

        assertThat(dsn.report.getBodyPart(0).isMimeType("text/plain")).isTrue();
        assertThat(dsn.text()).contains("<bob@example.net>", "mx.example.net", "550 5.1.1 <bob@example.net>: no such user",
                "<nobody@local.test>", "could not be delivered", "postmaster");

        assertThat(dsn.report.getBodyPart(1).isMimeType("message/delivery-status")).isTrue();
        assertThat(field(dsn.perMessage, "Reporting-MTA")).isEqualTo("dns; mx.test");
        assertThat(field(dsn.perMessage, "Original-Envelope-Id")).isEqualTo("QQ314159");
        assertThat(field(dsn.perMessage, "Arrival-Date")).isEqualTo("Sat, 1 Mar 2025 10:00:00 +0000");
        assertThat(dsn.perRecipient).hasSize(2);
        InternetHeaders bob = dsn.perRecipient.get(0);
        assertThat(field(bob, "Original-Recipient")).isEqualTo("rfc822; Bob+x@example.net");
        assertThat(field(bob, "Final-Recipient")).isEqualTo("rfc822; bob@example.net");
        assertThat(field(bob, "Action")).isEqualTo("failed");
        assertThat(field(bob, "Status")).isEqualTo("5.1.1");
        assertThat(field(bob, "Remote-MTA")).isEqualTo("dns; mx.example.net");
        assertThat(field(bob, "Diagnostic-Code")).isEqualTo("smtp; 550 5.1.1 <bob@example.net>: no such user");
        assertThat(field(bob, "Last-Attempt-Date")).isEqualTo("Sat, 1 Mar 2025 10:07:00 +0000");
        InternetHeaders nobody = dsn.perRecipient.get(1);
        assertThat(field(nobody, "Original-Recipient")).isNull();
        assertThat(field(nobody, "Final-Recipient")).isEqualTo("rfc822; nobody@local.test");
        assertThat(field(nobody, "Remote-MTA")).isNull();
        assertThat(field(nobody, "Diagnostic-Code")).isEqualTo("X-Tern; no such user");

        // RET absent and a small message: returned whole (RFC 3461 §4.3 leaves it to us)
        assertThat(dsn.returned().isMimeType("message/rfc822")).isTrue();
        MimeMessage returned = (MimeMessage) dsn.returned().getContent();
        assertThat(returned.getSubject()).isEqualTo("quarterly figures");
        assertThat(returned.getContent().toString()).contains("The body, line one.");
    }

    @Test
    void retHdrsReturnsOnlyTheHeaders() throws Exception {
        Recipient bob = rcpt("bob@example.net", null);
        StoredMessage m = original("alice@example.org", Envelope.Ret.HDRS, null, List.of(bob));
        sink.failed(m, List.of(Outcome.failed(bob, "5.1.1", "550 no", "mx.example.net")));
        ParsedDsn dsn = parse(notices(m).get(0));
        assertThat(dsn.returned().isMimeType("text/rfc822-headers")).isTrue();
        assertThat(dsn.returnedText()).contains("Subject: quarterly figures").doesNotContain("The body");
        assertThat(field(dsn.perMessage, "Original-Envelope-Id")).isNull();
    }

    @Test
    void retFullReturnsTheMessageUpToTheSizeCapThenHeaders() throws Exception {
        Recipient bob = rcpt("bob@example.net", null);
        StoredMessage small = original("alice@example.org", Envelope.Ret.FULL, null, List.of(bob));
        sink.failed(small, List.of(Outcome.failed(bob, "5.1.1", "550 no", "mx.example.net")));
        assertThat(parse(notices(small).get(0)).returned().isMimeType("message/rfc822")).isTrue();

        FileSpool fresh = new FileSpool(data.resolve("other"));
        spool = fresh;
        DsnSink capped = sink(new BounceSettings(Duration.ZERO, 100));
        StoredMessage big = original("alice@example.org", Envelope.Ret.FULL, null, List.of(bob),
                CONTENT + "x".repeat(200) + "\r\n");
        capped.failed(big, List.of(Outcome.failed(bob, "5.1.1", "550 no", "mx.example.net")));
        ParsedDsn dsn = parse(notices(big).get(0));
        assertThat(dsn.returned().isMimeType("text/rfc822-headers")).isTrue();
        assertThat(dsn.text()).contains("headers of the original message");
    }

    @Test
    void notifyNeverAndNotifyWithoutFailureGetNoFailureNotice() throws Exception {
        Recipient never = rcpt("a@example.net", null, Recipient.Notify.NEVER);
        Recipient onlySuccess = rcpt("b@example.net", null, Recipient.Notify.SUCCESS);
        Recipient failure = rcpt("c@example.net", null, Recipient.Notify.FAILURE, Recipient.Notify.DELAY);
        StoredMessage m = original("alice@example.org", null, null, List.of(never, onlySuccess, failure));
        sink.failed(m, List.of(Outcome.failed(never, "5.1.1", "550 no", "mx.example.net"),
                Outcome.failed(onlySuccess, "5.1.1", "550 no", "mx.example.net")));
        assertThat(notices(m)).isEmpty();

        sink.failed(m, List.of(Outcome.failed(never, "5.1.1", "550 no", "mx.example.net"),
                Outcome.failed(failure, "5.2.2", "552 full", "mx.example.net")));
        ParsedDsn dsn = parse(notices(m).get(0));
        assertThat(dsn.perRecipient).singleElement()
                .satisfies(h -> assertThat(field(h, "Final-Recipient")).isEqualTo("rfc822; c@example.net"));
    }

    @Test
    void notifySuccessGetsDeliveredHereAndRelayedElsewhere() throws Exception {
        Recipient here = rcpt("bob@local.test", null, Recipient.Notify.SUCCESS);
        Recipient away = rcpt("carol@example.net", null, Recipient.Notify.SUCCESS, Recipient.Notify.FAILURE);
        Recipient silent = rcpt("dave@local.test", null);
        StoredMessage m = original("alice@example.org", Envelope.Ret.FULL, null, List.of(here, away, silent));
        sink.delivered(m, List.of(Outcome.delivered(here, "local.test/bob/new/1.M1P1Q1.mx"),
                Outcome.delivered(away, "mx.example.net[192.0.2.7]"), Outcome.delivered(silent, "x")));
        ParsedDsn dsn = parse(notices(m).get(0));
        assertThat(dsn.message.getSubject()).isEqualTo("Successful Mail Delivery Report");
        assertThat(dsn.perRecipient).extracting(h -> field(h, "Action")).containsExactly("delivered", "relayed");
        assertThat(dsn.perRecipient).extracting(h -> field(h, "Status")).containsExactly("2.0.0", "2.0.0");
        assertThat(field(dsn.perRecipient.get(1), "Remote-MTA")).isEqualTo("dns; mx.example.net");
        // RET is about failure notices (RFC 3461 §4.3): a success notice carries the headers only
        assertThat(dsn.returned().isMimeType("text/rfc822-headers")).isTrue();

        StoredMessage plain = original("alice@example.org", null, null, List.of(silent));
        sink.delivered(plain, List.of(Outcome.delivered(silent, "x")));
        assertThat(notices(m, plain)).hasSize(1);
    }

    @Test
    void delayNoticesGoToDelayOrAbsentNotify() throws Exception {
        Recipient asked = rcpt("a@example.net", null, Recipient.Notify.DELAY);
        Recipient absent = rcpt("b@example.net", null);
        Recipient failureOnly = rcpt("c@example.net", null, Recipient.Notify.FAILURE);
        StoredMessage m = original("alice@example.org", null, null, List.of(asked, absent, failureOnly));
        Instant until = T0.plus(Duration.ofDays(5));
        sink.delayed(m, List.of(Outcome.deferred(asked, "4.2.2", "452 mailbox full", "mx.example.net"),
                Outcome.deferred(absent, "4.4.1", "connection timed out", "mx.example.net"),
                Outcome.deferred(failureOnly, "4.4.1", "connection timed out", "mx.example.net")), until);
        ParsedDsn dsn = parse(notices(m).get(0));
        assertThat(dsn.message.getSubject()).startsWith("Delayed Mail");
        assertThat(dsn.perRecipient).extracting(h -> field(h, "Final-Recipient"))
                .containsExactly("rfc822; a@example.net", "rfc822; b@example.net");
        assertThat(dsn.perRecipient).extracting(h -> field(h, "Action")).containsOnly("delayed");
        assertThat(field(dsn.perRecipient.get(0), "Status")).isEqualTo("4.2.2");
        assertThat(field(dsn.perRecipient.get(0), "Will-Retry-Until")).isEqualTo("Thu, 6 Mar 2025 10:00:00 +0000");
        assertThat(dsn.text()).contains("not been delivered yet", "You do not need to send it again");
    }

    @Test
    void aFailedBounceGoesToThePostmasterAndAFailedPostmasterCopyNowhere() throws Exception {
        Recipient alice = rcpt("alice@example.org", null);
        StoredMessage bounce = original("", null, null, List.of(alice));
        sink.failed(bounce, List.of(Outcome.failed(alice, "5.1.1", "550 gone", "mx.example.org")));
        StoredMessage copy = notices(bounce).get(0);
        assertThat(copy.envelope().sender().isNull()).isTrue();
        assertThat(copy.envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("postmaster@local.test");
        assertThat(parse(copy).message.getSubject()).isEqualTo("Postmaster Copy: Undelivered Bounce");

        Recipient postmaster = rcpt("postmaster@local.test", null);
        StoredMessage failedCopy = original("", null, null, List.of(postmaster));
        sink.failed(failedCopy, List.of(Outcome.failed(postmaster, "5.2.2", "mailbox full", "local")));
        assertThat(notices(bounce, copy, failedCopy)).isEmpty();
    }

    @Test
    void noSuccessOrDelayNoticeToTheNullSender() throws Exception {
        Recipient r = rcpt("a@example.net", null, Recipient.Notify.SUCCESS, Recipient.Notify.DELAY);
        StoredMessage m = original("", null, null, List.of(r));
        sink.delivered(m, List.of(Outcome.delivered(r, "mx.example.net")));
        sink.delayed(m, List.of(Outcome.deferred(r, "4.4.1", "timeout", "mx.example.net")), T1);
        assertThat(notices(m)).isEmpty();
    }
}
