package dev.tern.tlsrpt;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.observe.MailLog;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends one report to the URIs of its domain's record (RFC 8460 §5): one message to all the {@code mailto:}
 * recipients through the queue (which retries it like any mail), and a POST to each {@code https:} endpoint,
 * tried again {@code https_retries} times with a doubling wait (§5.5 asks for retries with exponential backoff;
 * they are kept in memory, so a restart ends them). Every outcome is one mail-log line; nothing throws.
 */
final class ReportDelivery {

    private final ReportMailer mailer;
    private final HttpsReportPoster poster;
    private final ScheduledExecutorService timer;
    private final int retries;
    private final Duration retryDelay;
    private final Address from;
    private final String submitter;
    private final Clock clock;

    ReportDelivery(ReportMailer mailer, HttpsReportPoster poster, ScheduledExecutorService timer, int retries,
                   Duration retryDelay, Address from, String submitter, Clock clock) {
        this.mailer = mailer;
        this.poster = poster;
        this.timer = timer;
        this.retries = retries;
        this.retryDelay = retryDelay;
        this.from = from;
        this.submitter = submitter;
        this.clock = clock;
    }

    void deliver(String domain, TlsReport report, TlsRptRecord record) {
        byte[] gzipped = ReportJson.gzip(report);
        List<Address> recipients = new ArrayList<>();
        for (String mailbox : record.mailboxes()) {
            try {
                // ASCII only: the message is plain 7-bit mail, sent without SMTPUTF8
                recipients.add(Address.parseMailbox(mailbox, false));
            } catch (AddressException e) {
                MailLog.event(null, "tlsrpt-rua-ignored").with("domain", domain).with("rua", "mailto:" + mailbox)
                        .with("reason", e.getMessage()).warn();
            }
        }
        if (!recipients.isEmpty()) {
            mail(domain, report, recipients, gzipped);
        }
        for (URI endpoint : record.endpoints()) {
            post(domain, report, endpoint, gzipped, 0);
        }
        if (recipients.isEmpty() && record.endpoints().isEmpty()) {
            MailLog.event(null, "tlsrpt-skipped").with("domain", domain).with("report_id", report.reportId())
                    .with("reason", "no usable rua").log();
        }
    }

    private void mail(String domain, TlsReport report, List<Address> recipients, byte[] gzipped) {
        List<String> to = recipients.stream().map(Address::toString).toList();
        byte[] message = ReportMessage.compose(report, domain, submitter, from.toString(), to, gzipped,
                clock.instant());
        try {
            String id = mailer.send(from, recipients, message);
            MailLog.event(id, "tlsrpt-queued").with("domain", domain).with("report_id", report.reportId())
                    .with("rcpts", recipients.size()).with("size", message.length).log();
        } catch (IOException | RuntimeException e) {
            MailLog.event(null, "tlsrpt-not-queued").with("domain", domain).with("report_id", report.reportId())
                    .with("reason", e.getMessage()).warn();
        }
    }

    private void post(String domain, TlsReport report, URI endpoint, byte[] gzipped, int attempt) {
        try {
            poster.post(endpoint, gzipped);
            MailLog.event(null, "tlsrpt-posted").with("domain", domain).with("report_id", report.reportId())
                    .with("url", endpoint).with("attempt", attempt + 1).log();
        } catch (IOException | RuntimeException e) {
            boolean again = attempt < retries;
            MailLog.event(null, "tlsrpt-post-failed").with("domain", domain).with("report_id", report.reportId())
                    .with("url", endpoint).with("attempt", attempt + 1).with("reason", e.getMessage())
                    .with("retry", again ? "in " + wait(attempt).toSeconds() + "s" : "no").warn();
            if (again) {
                try {
                    timer.schedule(() -> post(domain, report, endpoint, gzipped, attempt + 1),
                            wait(attempt).toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopped) {
                    // the server is stopping: reports are statistics, the retry is given up
                }
            }
        }
    }

    /** {@code https_retry_delay} before the first retry, twice as long before each next one. */
    private Duration wait(int attempt) {
        return retryDelay.multipliedBy(1L << Math.min(attempt, 16));
    }
}
