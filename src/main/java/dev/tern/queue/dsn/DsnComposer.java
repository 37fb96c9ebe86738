package dev.tern.queue.dsn;

import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.header.HeaderBlock;
import dev.tern.queue.StoredMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Writes a delivery status notification (RFC 3464) as a {@code multipart/report; report-type=delivery-status}
 * message (RFC 6522): a human-readable explanation, the {@code message/delivery-status} fields, then the
 * original message ({@code message/rfc822}) or only its headers ({@code text/rfc822-headers}).
 *
 * <p>What is returned (RFC 3461 §4.3): for a failure, the whole message unless the sender asked for
 * {@code RET=HDRS}, or it is larger than {@code maxReturnedSize}, or it is binary (BINARYMIME cannot be put
 * inside a message sent as 8BITMIME); when RET is absent the choice is ours and we return it whole within the
 * same cap. RET speaks of failure notices only, so delay and success notices carry the headers. A message sent
 * with REQUIRETLS is answered as if RET=HDRS had been given, whatever RET said (RFC 8689 §5): the body asked for a
 * protection the way back may not give it, so only the headers go back, and with REQUIRETLS ({@link DsnSink}).
 */
public final class DsnComposer {

    private static final int MAX_HEADERS = 256 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String hostname;
    private final long maxReturnedSize;

    public DsnComposer(String hostname, long maxReturnedSize) {
        this.hostname = hostname;
        this.maxReturnedSize = maxReturnedSize;
    }

    /**
     * The composed notice.
     *
     * @param eightBit whether it holds 8-bit text (it must then travel as BODY=8BITMIME, RFC 6152)
     * @param utf8     whether it holds UTF-8 addresses or headers (SMTPUTF8, RFC 6531)
     */
    public record Composed(byte[] content, boolean eightBit, boolean utf8) {
    }

    public Composed compose(Notice notice, QueueId newId, Instant now) throws IOException {
        StoredMessage original = notice.original();
        boolean full = returnsFullMessage(notice);
        byte[] returned = ReturnedText.normalize(full ? readAll(original)
                : headerSection(original, MAX_HEADERS));
        String text = NoticeText.of(notice, hostname, full);
        String status = DsnFields.body(notice, hostname);
        boolean utf8 = notice.to().isInternational() || original.envelope().smtputf8()
                || notice.recipients().stream().anyMatch(r -> r.recipient().address().isInternational());
        boolean eightBit = !ascii(returned) || !ascii(text) || !ascii(status);
        String boundary = boundary();

        ByteArrayOutputStream out = new ByteArrayOutputStream(returned.length + 4096);
        write(out, headers(notice, newId, now, boundary, eightBit));
        write(out, "This is a MIME-encapsulated message.\r\n\r\n--" + boundary + "\r\n");
        write(out, "Content-Description: Notification\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: " + (ascii(text) ? "7bit" : "8bit") + "\r\n\r\n" + text);
        write(out, "\r\n--" + boundary + "\r\n");
        // RFC 6533 §3: a report naming UTF-8 addresses is message/global-delivery-status
        write(out, "Content-Description: Delivery report\r\nContent-Type: message/"
                + (utf8 ? "global-delivery-status" : "delivery-status") + "\r\n"
                + (ascii(status) ? "" : "Content-Transfer-Encoding: 8bit\r\n") + "\r\n" + status);
        write(out, "\r\n--" + boundary + "\r\n");
        write(out, "Content-Description: " + (full ? "Undelivered Message" : "Undelivered Message Headers")
                + "\r\nContent-Type: " + (full ? "message/rfc822" : "text/rfc822-headers") + "\r\n"
                + (ascii(returned) ? "" : "Content-Transfer-Encoding: 8bit\r\n") + "\r\n");
        out.write(returned);
        if (returned.length > 0 && returned[returned.length - 1] != '\n') {
            write(out, "\r\n");
        }
        write(out, "\r\n--" + boundary + "--\r\n");
        return new Composed(out.toByteArray(), eightBit, utf8);
    }

    /**
     * A boundary no one can guess (RFC 2046 §5.1.1: it must not occur in the parts): the returned message is the
     * sender's text, and one who knew the boundary in advance could end the report's parts inside it.
     */
    static String boundary() {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return "=_tern_" + HexFormat.of().formatHex(random);
    }

    boolean returnsFullMessage(Notice notice) {
        Envelope e = notice.original().envelope();
        boolean failure = notice.kind() == Notice.Kind.FAILURE || notice.kind() == Notice.Kind.POSTMASTER_COPY;
        // RFC 8689 §5: "MUST behave as if RET=HDRS was present"; RET=FULL with REQUIRETLS is disregarded
        return failure && e.ret() != Envelope.Ret.HDRS && !e.requireTls() && e.body() != Envelope.BodyType.BINARY_MIME
                && notice.original().content().size() <= maxReturnedSize;
    }

    private String headers(Notice notice, QueueId newId, Instant now, String boundary, boolean eightBit) {
        StringBuilder h = new StringBuilder(512);
        String date = DsnFields.date(now);
        // RFC 5321 §4.4: every message we originate carries our trace header too
        h.append("Received: by ").append(hostname).append(" (Tern) id ").append(newId).append("; ")
                .append(date).append("\r\n");
        h.append("From: Mail Delivery System <MAILER-DAEMON@").append(hostname).append(">\r\n");
        h.append("To: <").append(DsnFields.clean(notice.to().toString())).append(">\r\n");
        h.append("Subject: ").append(notice.kind().subject()).append("\r\n");
        h.append("Date: ").append(date).append("\r\n");
        h.append("Message-ID: <").append(newId).append(".dsn@").append(hostname).append(">\r\n");
        h.append("Auto-Submitted: auto-replied\r\n"); // RFC 3834 §5: never answered by autoresponders
        h.append("MIME-Version: 1.0\r\n");
        h.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"")
                .append(boundary).append("\"\r\n");
        h.append("Content-Transfer-Encoding: ").append(eightBit ? "8bit" : "7bit").append("\r\n\r\n");
        return h.toString();
    }

    /**
     * The header section of a stored message alone, at most {@code max} octets ({@link HeaderBlock#excerpt}), for
     * text/rfc822-headers (RFC 6522) and {@code tern queue show}.
     */
    public static byte[] headerSection(StoredMessage message, int max) throws IOException {
        try (InputStream in = message.content().open()) {
            return HeaderBlock.excerpt(in, max).toByteArray();
        }
    }

    private static byte[] readAll(StoredMessage message) throws IOException {
        try (InputStream in = message.content().open()) {
            return in.readAllBytes();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean ascii(byte[] data) {
        for (byte b : data) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(String text) {
        return text.chars().allMatch(c -> c < 128);
    }
}
