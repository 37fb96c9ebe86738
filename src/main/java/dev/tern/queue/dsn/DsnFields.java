package dev.tern.queue.dsn;

import dev.tern.mail.Address;
import dev.tern.mail.Envelope;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine-readable part, {@code message/delivery-status} (RFC 3464 §2): per-message fields, then one block
 * of per-recipient fields per recipient, blocks separated by empty lines, in header syntax (long fields folded).
 */
final class DsnFields {

    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int FOLD_AT = 78;
    /**
     * How the SMTP courier reports a remote server's refusal, in Postfix's words:
     * {@code mx.example.net[192.0.2.1]:25 said: 550 5.1.1 no such user (in reply to RCPT TO)}.
     */
    private static final Pattern REMOTE_REPLY =
            Pattern.compile("\\S+ said: ([245][0-9][0-9](?:[ -].*?)?)(?: \\(in reply to [A-Za-z -]+\\))?");

    private DsnFields() {
    }

    static String body(Notice notice, String hostname) {
        Envelope e = notice.original().envelope();
        StringBuilder out = new StringBuilder(512);
        field(out, "Reporting-MTA", "dns; " + hostname);
        field(out, "X-Tern-Queue-ID", notice.original().id().value());
        if (e.envid() != null) {
            field(out, "Original-Envelope-Id", e.envid()); // xtext as given (RFC 3464 §2.2.1)
        }
        if (e.helo() != null && e.client() != null) {
            field(out, "Received-From-MTA", "dns; " + e.helo() + " ([" + e.client() + "])");
        }
        if (e.received() != null) {
            field(out, "Arrival-Date", date(e.received()));
        }
        for (ReportedRecipient r : notice.recipients()) {
            out.append("\r\n");
            recipient(out, r);
        }
        return out.toString();
    }

    private static void recipient(StringBuilder out, ReportedRecipient r) {
        String orcpt = r.recipient().orcpt();
        int semi = orcpt == null ? -1 : orcpt.indexOf(';');
        if (semi > 0) {
            // RFC 3461 §6.3: the ORCPT address is xtext in SMTP and decoded in the report
            field(out, "Original-Recipient", orcpt.substring(0, semi).trim() + "; "
                    + Xtext.decode(orcpt.substring(semi + 1)));
        }
        field(out, "Final-Recipient", addressType(r.recipient().address()) + "; " + r.recipient().address());
        field(out, "Action", r.action().keyword());
        field(out, "Status", r.status());
        if (r.remoteMta() != null) {
            field(out, "Remote-MTA", "dns; " + r.remoteMta());
        }
        if (r.diagnostic() != null) {
            field(out, "Diagnostic-Code", diagnostic(r.diagnostic()));
        }
        if (r.lastAttempt() != null) {
            field(out, "Last-Attempt-Date", date(r.lastAttempt()));
        }
        if (r.willRetryUntil() != null) {
            field(out, "Will-Retry-Until", date(r.willRetryUntil()));
        }
    }

    /**
     * RFC 3464 §2.3.6: an SMTP reply is of type smtp, and is the reply alone (a remote server's reply as the
     * courier words it is taken out of its sentence); a reason of our own is marked as ours.
     */
    static String diagnostic(String detail) {
        String d = clean(detail).strip();
        Matcher remote = REMOTE_REPLY.matcher(d);
        if (remote.matches()) {
            return "smtp; " + remote.group(1); // the server's own reply; who said it is in Remote-MTA
        }
        return d.matches("[245][0-9][0-9]([ -].*)?") ? "smtp; " + d : "X-Tern; " + d;
    }

    /** RFC 6533 §3: a UTF-8 address is of type utf-8; an ASCII one stays rfc822. */
    static String addressType(Address a) {
        return a.isInternational() ? "utf-8" : "rfc822";
    }

    static String date(Instant when) {
        return RFC5322.format(when);
    }

    /** Text from elsewhere (a remote reply, an address) never brings its own line breaks into ours. */
    static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < ' ' || c == 0x7F ? ' ' : c);
        }
        return out.toString();
    }

    /**
     * Appends {@code Name: value} CRLF, folded before a space so that lines stay near 78 characters and
     * unfolding gives the value back (RFC 5322 §2.2.3); runs of spaces are collapsed first, so no folded line
     * is blank.
     */
    static void field(StringBuilder out, String name, String value) {
        String line = name + ": " + clean(value).replaceAll(" {2,}", " ").strip();
        int start = 0;
        while (line.length() - start > FOLD_AT) {
            int cut = line.lastIndexOf(' ', start + FOLD_AT);
            if (cut <= start + (start == 0 ? name.length() + 1 : 0)) {
                cut = line.indexOf(' ', start + FOLD_AT);
            }
            if (cut < 0) {
                break;
            }
            out.append(line, start, cut).append("\r\n");
            start = cut;
        }
        out.append(line, start, line.length()).append("\r\n");
    }
}
