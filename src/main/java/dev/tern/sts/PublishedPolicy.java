package dev.tern.sts;

import dev.tern.config.MtaStsSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The policy Tern publishes for its own domains (RFC 8461 §3.2), from {@code [mta_sts]}: {@code mode},
 * the {@code mx} patterns (the hostname unless configured) and {@code max_age}, one file for every local domain.
 * Its {@code id} (§3.1) is derived from the text, so it changes exactly when the policy does and senders fetch it
 * again.
 *
 * @param text the policy file, CRLF-ended lines
 * @param id   the {@code id} for the {@code _mta-sts} TXT record: 20 hexadecimal digits of the text's SHA-256
 */
public record PublishedPolicy(String text, String id) {

    /** Where senders fetch a domain's policy (§3.3), below {@code https://mta-sts.<domain>}. */
    public static final String PATH = HttpsPolicyFetcher.PATH;

    public static PublishedPolicy of(MtaStsSettings settings, String hostname) {
        String host = hostname.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        StringBuilder text = new StringBuilder("version: STSv1\r\n")
                .append("mode: ").append(settings.mode().name().toLowerCase(Locale.ROOT)).append("\r\n");
        for (String mx : settings.mxOr(host)) {
            text.append("mx: ").append(mx).append("\r\n");
        }
        text.append("max_age: ").append(settings.maxAge().toSeconds()).append("\r\n");
        return new PublishedPolicy(text.toString(), idOf(text.toString()));
    }

    /** The {@code _mta-sts.<domain>} TXT record announcing this policy. */
    public String txtRecord() {
        return "v=STSv1; id=" + id;
    }

    /**
     * The {@code id} of an {@code _mta-sts} TXT record as a sender reads it (RFC 8461 §3.1), or null when the record
     * breaks the grammar: for checking what DNS publishes.
     */
    public static String recordId(String record) {
        return StsRecord.id(record);
    }

    /** The host that serves a domain's policy: {@code mta-sts.<domain>}. */
    public static String host(String domain) {
        return "mta-sts." + domain;
    }

    /** The URL senders fetch for {@code domain}. */
    public static String url(String domain) {
        return "https://" + host(domain) + PATH;
    }

    /** A TLS-RPT record (RFC 8460 §3) sending the reports to the domain's postmaster. */
    public static String tlsRptRecord(String domain) {
        return "v=TLSRPTv1; rua=mailto:postmaster@" + domain;
    }

    private static String idOf(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
