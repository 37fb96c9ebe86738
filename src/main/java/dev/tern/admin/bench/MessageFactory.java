package dev.tern.admin.bench;

import dev.tern.smtp.protocol.DotStuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Makes the benchmark's messages: envelope recipients and the octets sent after DATA.
 *
 * <p>Each message is a valid RFC 5322 message of about {@code size} octets, lines ending in CRLF and no
 * longer than 78 characters (RFC 5322 §2.1.1). The body always holds lines that begin with a dot, so every
 * message exercises dot-stuffing (RFC 5321 §4.5.2). The body is built once; only the headers differ.
 */
public final class MessageFactory {

    /** Characters of text per body line, within the 78 that RFC 5322 §2.1.1 recommends. */
    static final int BODY_LINE = 76;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final String[] WORDS = {
        "tern", "mail", "queue", "spool", "relay", "sender", "envelope", "header", "body", "line",
        "message", "delivery", "mailbox", "domain", "fsync", "rename", "reply", "session", "octet", "test"
    };

    private final String from;
    private final String toPattern;
    private final int recipients;
    private final int users;
    private final String runId;
    private final String date;
    private final byte[] stuffedBody;

    /**
     * @param from       the envelope sender and From: address
     * @param toPattern  a recipient address; {@code %d} in it is replaced by a user number 1..users
     * @param recipients recipients per message; above 1 the pattern must contain {@code %d}
     * @param users      how many user numbers {@code %d} cycles through (at least {@code recipients})
     * @param size       the approximate size of each message in octets, headers included
     */
    public MessageFactory(String from, String toPattern, int recipients, int users, int size) {
        this.from = Objects.requireNonNull(from, "from");
        this.toPattern = Objects.requireNonNull(toPattern, "toPattern");
        if (recipients < 1) {
            throw new IllegalArgumentException("recipients must be at least 1");
        }
        if (recipients > 1 && !toPattern.contains("%d")) {
            throw new IllegalArgumentException(
                    "with more than one recipient the --to address needs %d so that each recipient differs");
        }
        if (toPattern.contains("%d") && users < recipients) {
            throw new IllegalArgumentException("users (" + users + ") must be at least recipients (" + recipients + ")");
        }
        this.recipients = recipients;
        this.users = users;
        this.runId = Long.toString(System.currentTimeMillis(), 36);
        this.date = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).format(ZonedDateTime.now());
        int headerSize = headers(0).length;
        this.stuffedBody = stuff(bodyLines(Math.max(0, size - headerSize)));
    }

    /** The envelope recipients of message {@code index}, all different when the pattern has {@code %d}. */
    public List<String> recipients(long index) {
        List<String> list = new ArrayList<>(recipients);
        for (int j = 0; j < recipients; j++) {
            long user = Math.floorMod(index * recipients + j, (long) users) + 1;
            list.add(toPattern.replace("%d", Long.toString(user)));
        }
        return list;
    }

    public String sender() {
        return from;
    }

    public int recipientsPerMessage() {
        return recipients;
    }

    /**
     * The octets to send after the 354 reply: headers and dot-stuffed body, ending in CRLF but without
     * the final {@code .CRLF} that ends the data (RFC 5321 §4.1.1.4).
     */
    public byte[] wireMessage(long index) {
        byte[] head = headers(index);
        byte[] all = new byte[head.length + stuffedBody.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(stuffedBody, 0, all, head.length, stuffedBody.length);
        return all;
    }

    /** Header section and the empty line that ends it (RFC 5322 §3.6: Date and From are required). */
    private byte[] headers(long index) {
        StringBuilder h = new StringBuilder(256);
        h.append("Date: ").append(date).append("\r\n");
        h.append("From: <").append(from).append(">\r\n");
        List<String> to = recipients(index);
        h.append("To: <").append(to.get(0)).append('>');
        for (int j = 1; j < to.size(); j++) {
            h.append(",\r\n <").append(to.get(j)).append('>'); // one address per folded line (§3.2.2)
        }
        h.append("\r\n");
        h.append("Subject: tern bench message ").append(index).append("\r\n");
        h.append("Message-ID: <").append(runId).append('.').append(index).append("@bench.invalid>\r\n");
        h.append("MIME-Version: 1.0\r\n");
        h.append("Content-Type: text/plain; charset=us-ascii\r\n");
        h.append("\r\n");
        return h.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Body text of about {@code octets} octets. The first lines are a lone dot and a line starting with
     * two dots: both must be stuffed on the wire. Every 16th line after them starts with a dot as well.
     */
    static List<String> bodyLines(int octets) {
        List<String> lines = new ArrayList<>();
        lines.add(".");
        lines.add("..two dots at the start of this line");
        int written = 0;
        for (String fixed : lines) {
            written += fixed.length() + 2;
        }
        int n = 0;
        StringBuilder line = new StringBuilder(BODY_LINE);
        while (written < octets) {
            int room = Math.min(BODY_LINE, octets - written - 2);
            line.setLength(0);
            if (n % 16 == 15) {
                line.append('.');
            }
            int w = n;
            while (line.length() < room) {
                String word = WORDS[Math.floorMod(w * 7 + 3, WORDS.length)];
                w++;
                if (line.length() > 0 && line.charAt(line.length() - 1) != '.') {
                    line.append(' ');
                }
                line.append(word, 0, Math.min(word.length(), room - line.length()));
            }
            lines.add(line.toString());
            written += line.length() + 2;
            n++;
        }
        return lines;
    }

    /**
     * Dot-stuffing (RFC 5321 §4.5.2): a line that begins with a dot gets one more dot in front. The terminator is
     * not written here: the connection sends it after the headers and this body.
     */
    static byte[] stuff(List<String> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffer stuffer = new DotStuffer(out);
        try {
            for (String line : lines) {
                byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
                stuffer.write(bytes, 0, bytes.length);
                stuffer.write(CRLF, 0, CRLF.length);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }
}
