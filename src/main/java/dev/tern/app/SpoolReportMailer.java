package dev.tern.app;

import dev.tern.config.TernConfig;
import dev.tern.mail.Address;
import dev.tern.mail.Envelope;
import dev.tern.mail.Recipient;
import dev.tern.observe.MailLog;
import dev.tern.policy.mailauth.OutboundSigner;
import dev.tern.queue.Spool;
import dev.tern.tlsrpt.ReportMailer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Queues TLS report mail (RFC 8460 §5.3) the way bounces and {@code tern sendmail} do: a {@link Spool.Draft}
 * written and committed, which hands it to the queue runner, so it is retried and bounced like any message.
 * Unlike those, it is DKIM-signed first, as §5.3 requires, with the keys of the From domain under
 * {@code <data>/dkim} when {@code [dkim] sign} is on (the same {@link OutboundSigner} our users' mail goes
 * through, asked as a trusted sender so the From domain signs). A domain without keys sends unsigned, which the
 * log says.
 */
final class SpoolReportMailer implements ReportMailer {

    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Spool spool;
    private final Supplier<TernConfig> config;
    private final Clock clock;

    /** @param config the running configuration, read at each report ({@code [dkim]} may have been reloaded) */
    SpoolReportMailer(Spool spool, Supplier<TernConfig> config, Clock clock) {
        this.spool = spool;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String send(Address sender, List<Address> recipients, byte[] message) throws IOException {
        TernConfig now = config.get();
        Instant received = clock.instant();
        try (Spool.Draft draft = spool.create()) {
            String trace = "Received: by " + now.hostname() + " (Tern TLS reports)\r\n\tid " + draft.id() + "; "
                    + RFC5322.format(received) + "\r\n";
            draft.content().write(trace.getBytes(StandardCharsets.US_ASCII));
            draft.content().write(message);
            draft.content().flush();
            String signedBy = sign(now, sender, message, draft);
            // RFC 8460 §5.3: a report must reach its domain even when that domain's TLS is what failed, and its
            // session is not counted: the courier sets the domain's policies aside for it, as for TLS-Required: No.
            draft.commit(new Envelope(sender, recipients.stream().map(Recipient::of).toList(),
                    Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.HDRS, null, null, null, null, true, received)
                    .withTlsOptional(true));
            MailLog.event(draft.id().value(), "accepted").with("via", "tls-reports").address("from", sender)
                    .with("rcpts", recipients.size()).with("dkim", signedBy == null ? "none" : signedBy).log();
            return draft.id().value();
        }
    }

    /** Prepends the DKIM-Signature fields; returns the signing domain, or null when unsigned. */
    private String sign(TernConfig config, Address sender, byte[] message, Spool.Draft draft) throws IOException {
        if (!config.dkim().sign()) {
            return null;
        }
        OutboundSigner signer = OutboundSigner.configured(config.dkim(), config.dataDir(), clock);
        OutboundSigner.Signed signed = signer.sign(new ByteArrayInputStream(message),
                new OutboundSigner.Sender(sender.domain().name(), null, true));
        if (signed.fields().isEmpty()) {
            return null;
        }
        draft.prepend(String.join("", signed.fields()).getBytes(StandardCharsets.US_ASCII));
        return signed.domain();
    }
}
