package dev.tern.queue;

import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.Recipient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The envelope as it is stored in the spool: UTF-8 text, a version line, then one field per line.
 *
 * <pre>
 * tern-envelope 1
 * received 2025-01-02T03:04:05.123Z
 * sender alice example.org                 (local part and domain, escaped; "-" for the null path)
 * body EIGHT_BIT_MIME
 * smtputf8 false
 * ret FULL                                 ("-" when not given)
 * envid QQ314159                           (xtext as received, RFC 3461 §4.4)
 * helo mx.example.org
 * client 203.0.113.9
 * auth -
 * trusted true                             (only when the client was in a trusted network; absent is false)
 * requiretls true                          (only with REQUIRETLS on MAIL FROM, RFC 8689; absent is false)
 * tlsoptional true                         (only for "TLS-Required: No", RFC 8689 §3; absent is false)
 * rcpt bob example.com SUCCESS,FAILURE rfc822;bob@example.com     (notify "-" when empty, orcpt "-")
 * </pre>
 *
 * Values are escaped by {@link TextValues}, so quoted local parts with spaces, {@code @} or odd bytes
 * round-trip. Decoding is strict: an unknown version or field is an error, never a guess.
 */
public final class EnvelopeCodec {

    static final String MAGIC = "tern-envelope";
    static final int VERSION = 1;
    private static final List<String> SINGLE_FIELDS =
            List.of("received", "sender", "body", "smtputf8", "ret", "envid", "helo", "client", "auth");
    /** Fields written only when true, so files written before them read as they were (false). */
    private static final List<String> OPTIONAL_FLAGS = List.of("trusted", "requiretls", "tlsoptional");

    private EnvelopeCodec() {
    }

    public static byte[] encode(Envelope e) {
        StringBuilder out = new StringBuilder(256);
        out.append(MAGIC).append(' ').append(VERSION).append('\n');
        line(out, "received", e.received() == null ? null : e.received().toString());
        out.append("sender ").append(address(e.sender())).append('\n');
        line(out, "body", e.body() == null ? null : e.body().name());
        line(out, "smtputf8", Boolean.toString(e.smtputf8()));
        line(out, "ret", e.ret() == null ? null : e.ret().name());
        line(out, "envid", e.envid());
        line(out, "helo", e.helo());
        line(out, "client", e.client());
        line(out, "auth", e.authUser());
        if (e.trusted()) {
            line(out, "trusted", "true"); // optional, so files written before it read as they were
        }
        if (e.requireTls()) {
            line(out, "requiretls", "true");
        }
        if (e.tlsOptional()) {
            line(out, "tlsoptional", "true");
        }
        for (Recipient r : e.recipients()) {
            out.append("rcpt ").append(address(r.address())).append(' ').append(notify(r.notifyOn()))
                    .append(' ').append(TextValues.escape(r.orcpt())).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Envelope decode(byte[] data) throws IOException {
        String[] lines = new String(data, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length < 2 || !lines[0].equals(MAGIC + " " + VERSION) || !lines[lines.length - 1].isEmpty()) {
            throw new IOException("not a version " + VERSION + " envelope");
        }
        Map<String, String[]> fields = new HashMap<>();
        List<Recipient> recipients = new ArrayList<>();
        for (int i = 1; i < lines.length - 1; i++) {
            String[] t = TextValues.tokens(lines[i]);
            if (t[0].equals("rcpt")) {
                recipients.add(recipient(t));
            } else if ((SINGLE_FIELDS.contains(t[0]) || OPTIONAL_FLAGS.contains(t[0]))
                    && fields.put(t[0], t) == null) {
                continue;
            } else {
                throw new IOException("unknown or repeated envelope field: " + TextValues.escape(t[0]));
            }
        }
        if (!fields.keySet().containsAll(SINGLE_FIELDS)) {
            throw new IOException("envelope lacks a field");
        }
        try {
            String received = value(fields, "received");
            String body = value(fields, "body");
            String ret = value(fields, "ret");
            return new Envelope(sender(fields.get("sender")), recipients,
                    body == null ? null : Envelope.BodyType.valueOf(body),
                    bool(value(fields, "smtputf8")), ret == null ? null : Envelope.Ret.valueOf(ret),
                    value(fields, "envid"), value(fields, "helo"), value(fields, "client"), value(fields, "auth"),
                    flag(fields, "trusted"), received == null ? null : Instant.parse(received),
                    flag(fields, "requiretls"), flag(fields, "tlsoptional"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException("bad envelope value: " + e.getMessage(), e);
        }
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append(' ').append(TextValues.escape(value)).append('\n');
    }

    private static String address(Address a) {
        return a == null || a.isNull() ? TextValues.NULL
                : TextValues.escape(a.localPart()) + " " + TextValues.escape(a.domain().name());
    }

    private static String notify(Set<Recipient.Notify> notifyOn) {
        if (notifyOn.isEmpty()) {
            return TextValues.NULL;
        }
        StringJoiner j = new StringJoiner(",");
        EnumSet.copyOf(notifyOn).forEach(n -> j.add(n.name()));
        return j.toString();
    }

    private static String value(Map<String, String[]> fields, String key) throws IOException {
        String[] t = fields.get(key);
        if (t.length != 2) {
            throw new IOException("envelope field " + key + " takes one value");
        }
        return TextValues.unescape(t[1]);
    }

    /** An optional flag: false when absent. */
    private static boolean flag(Map<String, String[]> fields, String key) throws IOException {
        return fields.containsKey(key) && bool(value(fields, key));
    }

    private static boolean bool(String v) throws IOException {
        if (!"true".equals(v) && !"false".equals(v)) {
            throw new IOException("not a boolean: " + v);
        }
        return Boolean.parseBoolean(v);
    }

    /** The sender line: {@code sender -} (null path) or {@code sender LOCAL DOMAIN}. */
    private static Address sender(String[] t) throws IOException {
        if (t.length == 2 && t[1].equals(TextValues.NULL)) {
            return Address.NULL;
        }
        if (t.length != 3) {
            throw new IOException("bad sender in envelope");
        }
        return address(t[1], t[2]);
    }

    private static Address address(String local, String domain) throws IOException {
        String name = TextValues.unescape(domain);
        if (name == null || name.isEmpty()) {
            throw new IOException("address without a domain in envelope");
        }
        return new Address(TextValues.unescape(local), Domain.of(name));
    }

    private static Recipient recipient(String[] t) throws IOException {
        boolean nullAddress = t.length == 4 && t[1].equals(TextValues.NULL);
        if (t.length != 5 && !nullAddress) {
            throw new IOException("rcpt takes address, notify and orcpt");
        }
        Address address = nullAddress ? Address.NULL : address(t[1], t[2]);
        String notify = t[t.length - 2];
        Set<Recipient.Notify> set = EnumSet.noneOf(Recipient.Notify.class);
        if (!notify.equals(TextValues.NULL)) {
            try {
                for (String n : notify.split(",", -1)) {
                    set.add(Recipient.Notify.valueOf(n));
                }
            } catch (IllegalArgumentException e) {
                throw new IOException("bad NOTIFY value in envelope", e);
            }
        }
        return new Recipient(address, set, TextValues.unescape(t[t.length - 1]));
    }
}
