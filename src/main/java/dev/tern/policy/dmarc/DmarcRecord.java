package dev.tern.policy.dmarc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A DMARC policy record (RFC 7489 §6.3), as published in TXT at {@code _dmarc.<domain>}.
 *
 * @param policy          {@code p}: the policy for the domain itself
 * @param subdomainPolicy {@code sp}: the policy for its subdomains; {@code p} when absent
 * @param dkimAlignment   {@code adkim}, relaxed by default
 * @param spfAlignment    {@code aspf}, relaxed by default
 * @param percent         {@code pct}: the share of failing mail the policy applies to, 0 to 100 (default 100)
 * @param aggregateReports {@code rua}: reporting URIs for aggregate reports
 * @param failureReports  {@code ruf}: reporting URIs for failure reports
 * @param failureOptions  {@code fo}, "0" by default
 * @param reportFormat    {@code rf}, "afrf" by default
 * @param reportInterval  {@code ri} in seconds, 86400 by default
 */
public record DmarcRecord(Policy policy, Policy subdomainPolicy, Alignment dkimAlignment, Alignment spfAlignment,
                          int percent, List<URI> aggregateReports, List<URI> failureReports, String failureOptions,
                          String reportFormat, long reportInterval) {

    /** The requested handling of mail that fails DMARC (RFC 7489 §6.3 {@code p}). */
    public enum Policy {
        NONE, QUARANTINE, REJECT;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The policy one step milder, applied to mail outside the {@code pct} sample (RFC 7489 §6.6.4). */
        public Policy milder() {
            return this == REJECT ? QUARANTINE : NONE;
        }
    }

    /** Identifier alignment mode (RFC 7489 §3.1). */
    public enum Alignment { RELAXED, STRICT }

    /** "v=DMARC1" as the first tag, with or without spaces around "=" (§6.4 allows FWS there). */
    private static final Pattern VERSION = Pattern.compile("\\Av[ \\t]*=[ \\t]*DMARC1[ \\t]*(;.*)?\\z", Pattern.DOTALL);

    public DmarcRecord {
        aggregateReports = List.copyOf(aggregateReports);
        failureReports = List.copyOf(failureReports);
    }

    /** Whether a TXT record claims to be a DMARC record: records that do not are discarded (§6.6.3 step 3). */
    public static boolean isDmarc(String txt) {
        return VERSION.matcher(txt.strip()).matches();
    }

    /**
     * Parses a record. Unknown tags are ignored and a bad value of an optional tag leaves its default (§6.3:
     * "syntax errors in the remainder of the record SHOULD be discarded in favor of default values"). Without a
     * valid {@code p} (or with a bad {@code sp}) the record counts only when it has a valid {@code rua}, and then as
     * {@code p=none} (§6.6.3 step 6); otherwise there is no usable policy and the result is empty.
     */
    public static Optional<DmarcRecord> parse(String txt) {
        if (!isDmarc(txt)) {
            return Optional.empty();
        }
        Tags tags = Tags.of(txt.strip());
        List<URI> rua = uris(tags.get("rua"));
        Optional<Policy> p = policy(tags.get("p"));
        String spText = tags.get("sp");
        Optional<Policy> sp = spText == null ? p : policy(spText);
        if (p.isEmpty() || sp.isEmpty()) {
            if (rua.isEmpty()) {
                return Optional.empty();
            }
            p = Optional.of(Policy.NONE);
            sp = p;
        }
        return Optional.of(new DmarcRecord(p.get(), sp.get(), alignment(tags.get("adkim")),
                alignment(tags.get("aspf")), percent(tags.get("pct")), rua, uris(tags.get("ruf")),
                orDefault(tags.get("fo"), "0"), orDefault(tags.get("rf"), "afrf"), interval(tags.get("ri"))));
    }

    private static Optional<Policy> policy(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> Optional.of(Policy.NONE);
            case "quarantine" -> Optional.of(Policy.QUARANTINE);
            case "reject" -> Optional.of(Policy.REJECT);
            default -> Optional.empty();
        };
    }

    private static Alignment alignment(String value) {
        return "s".equalsIgnoreCase(value) ? Alignment.STRICT : Alignment.RELAXED;
    }

    private static int percent(String value) {
        if (value != null && value.matches("\\d{1,3}")) {
            int n = Integer.parseInt(value);
            if (n <= 100) {
                return n;
            }
        }
        return 100;
    }

    private static long interval(String value) {
        return value != null && value.matches("\\d{1,10}") ? Long.parseLong(value) : 86_400;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** §6.4 {@code dmarc-uri}: comma-separated URIs, each optionally followed by {@code !size}. */
    private static List<URI> uris(String value) {
        List<URI> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",")) {
            String text = part.strip();
            int bang = text.lastIndexOf('!');
            if (bang > 0 && text.substring(bang + 1).matches("\\d+[kmgtKMGT]?")) {
                text = text.substring(0, bang);
            }
            try {
                URI uri = new URI(text);
                if (uri.getScheme() != null) {
                    out.add(uri);
                }
            } catch (URISyntaxException ignored) {
                // an invalid URI is dropped; the others remain usable (§6.3)
            }
        }
        return out;
    }

    /** The {@code tag=value} pairs of §6.4; the first occurrence of a tag counts. */
    private record Tags(java.util.Map<String, String> values) {
        static Tags of(String txt) {
            java.util.Map<String, String> values = new java.util.HashMap<>();
            for (String part : txt.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    String name = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                    values.putIfAbsent(name, part.substring(eq + 1).strip());
                }
            }
            return new Tags(values);
        }

        String get(String name) {
            return values.get(name);
        }
    }
}
