package dev.tern.admin;

import dev.tern.mail.Address;
import dev.tern.mail.Envelope;
import dev.tern.mail.Recipient;
import dev.tern.observe.LogText;
import dev.tern.queue.DeliveryState;
import dev.tern.queue.Hold;
import dev.tern.queue.QueuedMessage;
import dev.tern.queue.RecipientState;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * The text of {@code tern queue list} and {@code tern queue show}: for people, one fact per line. Whatever a
 * peer wrote (addresses, HELO, ENVID, ORCPT, remote replies, the message's headers) goes through {@link #safe}:
 * an ESC, CR or other C0/C1 control printed raw would let a message drive the operator's terminal (clear the
 * screen, retitle the window, hide lines, rewrite what was shown).
 */
final class QueueFormat {

    private QueueFormat() {
    }

    static void list(PrintWriter out, List<QueuedMessage> messages, Instant now) {
        if (messages.isEmpty()) {
            out.println("queue is empty");
            return;
        }
        long bytes = 0;
        int held = 0;
        for (QueuedMessage m : messages) {
            out.printf(Locale.ROOT, "%-16s %7s %9d  %s%s%n", m.id(), age(m.arrival(), now), m.size(),
                    path(m.sender()), m.hold() == null ? "" : "  HELD: " + safe(m.hold().reason()));
            for (QueuedMessage.Entry e : m.recipients()) {
                out.println("    " + recipient(e.recipient(), e.state()));
            }
            if (m.hold() == null && m.nextAttempt() != null) {
                out.println("    next attempt " + m.nextAttempt() + " (" + until(now, m.nextAttempt()) + ")");
            }
            bytes += m.size();
            held += m.hold() == null ? 0 : 1;
        }
        out.printf(Locale.ROOT, "-- %d message%s, %d bytes%s%n", messages.size(), messages.size() == 1 ? "" : "s",
                bytes, held == 0 ? "" : ", " + held + " held");
    }

    /** One recipient: state, address, then the last status and error (or where it went). */
    static String recipient(Recipient r, RecipientState s) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-9s %s",
                s.status().name().toLowerCase(Locale.ROOT), path(r.address())));
        if (s.code() != null) {
            line.append("  ").append(s.code());
        }
        if (s.detail() != null) {
            line.append(' ').append(safe(s.detail()));
        }
        if (s.attempts() > 0) {
            line.append(" (").append(s.attempts()).append(s.attempts() == 1 ? " attempt)" : " attempts)");
        }
        return line.toString();
    }

    static void show(PrintWriter out, QueuedMessage m, Envelope e, DeliveryState state, String headers, Instant now) {
        out.println("id:           " + m.id());
        out.println("arrival:      " + m.arrival() + " (" + age(m.arrival(), now) + " ago)");
        out.println("size:         " + m.size() + " bytes");
        out.println("sender:       " + path(e.sender()));
        Hold hold = m.hold();
        out.println("held:         " + (hold == null ? "no" : safe(hold.reason()) + " (since " + hold.since() + ")"));
        out.println("next attempt: " + (hold != null ? "none while held"
                : m.nextAttempt() == null ? "now" : m.nextAttempt() + " (" + until(now, m.nextAttempt()) + ")"));
        out.println("body:         " + (e.body() == null ? "-" : e.body().name().toLowerCase(Locale.ROOT))
                + (e.smtputf8() ? ", smtputf8" : ""));
        out.println("dsn:          ret=" + (e.ret() == null ? "-" : e.ret()) + " envid=" + dash(e.envid()));
        out.println("tls:          " + tlsRequest(e));
        out.println("client:       " + dash(e.helo()) + " [" + dash(e.client()) + "]"
                + (e.authUser() == null ? "" : " authenticated as " + safe(e.authUser())));
        if (state.delayWarned() != null) {
            out.println("delay notice: sent " + state.delayWarned());
        }
        out.println("recipients:");
        for (QueuedMessage.Entry entry : m.recipients()) {
            Recipient r = entry.recipient();
            out.println("    " + recipient(r, entry.state()));
            if (!r.notifyOn().isEmpty() || r.orcpt() != null) {
                out.println("              notify=" + (r.notifyOn().isEmpty() ? "-" : r.notifyOn().stream()
                        .map(Enum::name).sorted().collect(Collectors.joining(","))) + " orcpt=" + dash(r.orcpt()));
            }
        }
        out.println("headers:");
        headers.lines().forEach(l -> out.println("    " + safe(l)));
    }

    /** What the sender asked of the transport (RFC 8689): REQUIRETLS, {@code TLS-Required: No}, or nothing. */
    static String tlsRequest(Envelope e) {
        if (e.requireTls()) {
            return "required (REQUIRETLS: verified TLS to servers offering REQUIRETLS, or a bounce)";
        }
        return e.tlsOptional() ? "optional (TLS-Required: No: the recipient domains' TLS policies do not apply)"
                : "as each destination's policy says";
    }

    private static String path(Address a) {
        return "<" + (a == null ? "" : safe(a.toString())) + ">";
    }

    private static String dash(String s) {
        return s == null ? "-" : safe(s);
    }

    /**
     * {@code text} with controls and invisible characters escaped as the mail log escapes them
     * ({@code \x1b}, {@code \x{202E}}: {@link LogText#escape}); a tab, harmless on a terminal and common in
     * folded headers, is kept.
     */
    static String safe(String text) {
        if (text == null) {
            return null;
        }
        StringJoiner out = new StringJoiner("\t");
        for (String part : text.split("\t", -1)) {
            out.add(LogText.escape(part));
        }
        return out.toString();
    }

    private static String until(Instant now, Instant at) {
        return at.isAfter(now) ? "in " + human(Duration.between(now, at)) : "due";
    }

    static String age(Instant arrival, Instant now) {
        return arrival == null ? "?" : human(Duration.between(arrival, now));
    }

    /** 42s, 12m, 3h05m, 2d04h. */
    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }
}
