package dev.tern.mail;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Received:} trace header Tern prepends to every message it accepts (RFC 5321 §4.4), with the
 * protocol keyword of RFC 3848 (SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA) or RFC 6531 §3.7.3 (UTF8SMTP...).
 */
public final class TraceHeader {

    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private TraceHeader() {
    }

    /**
     * @param helo       the client's EHLO/HELO argument
     * @param clientIp   the client's address
     * @param byHost     our hostname
     * @param protocol   the RFC 3848 keyword, see {@link #protocol}
     * @param tls        e.g. {@code using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256}, or null
     * @param id         the queue id
     * @param forAddress the single recipient, or null when there are several (not to disclose the others)
     * @param when       the time of receipt
     * @return the header, folded, ending in CRLF
     */
    public static String received(String helo, String clientIp, String byHost, String protocol, String tls,
                                  QueueId id, Address forAddress, ZonedDateTime when) {
        StringBuilder h = new StringBuilder(200);
        h.append("Received: from ").append(helo).append(" ([").append(ipLiteral(clientIp)).append("])\r\n");
        if (tls != null) {
            h.append("\t(").append(tls).append(")\r\n");
        }
        h.append("\tby ").append(byHost).append(" (Tern) with ").append(protocol);
        h.append(" id ").append(id);
        if (forAddress != null) {
            h.append("\r\n\tfor <").append(forAddress).append('>');
        }
        h.append("; ").append(RFC5322_DATE.format(when)).append("\r\n");
        return h.toString();
    }

    /** A date-time in the form of RFC 5322 §3.3, e.g. {@code Sat, 28 Nov 2026 12:00:00 +0000}. */
    public static String date(ZonedDateTime when) {
        return RFC5322_DATE.format(when);
    }

    /** RFC 3848 §2 and RFC 6531 §3.7.3 "with" keywords. */
    public static String protocol(boolean extended, boolean tls, boolean authenticated, boolean utf8) {
        if (!extended) {
            return "SMTP";
        }
        String suffix = (tls ? "S" : "") + (authenticated ? "A" : "");
        return (utf8 ? "UTF8SMTP" : "ESMTP") + suffix;
    }

    private static String ipLiteral(String ip) {
        return ip.contains(":") ? "IPv6:" + ip : ip;
    }
}
