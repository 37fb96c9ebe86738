package dev.tern.tlsrpt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@code _smtp._tls} TXT record (RFC 8460 §3): {@code v=TLSRPTv1; rua=mailto:a@example.org,https://...}.
 *
 * <pre>
 * tlsrpt-record  = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
 * field-delim    = *WSP ";" *WSP
 * tlsrpt-field   = tlsrpt-rua / tlsrpt-extension
 * tlsrpt-rua     = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
 * tlsrpt-extension = ext-name "=" ext-value    ; ext-name: ALPHA/DIGIT then up to 31 of ALPHA/DIGIT/"_"/"-"/"."
 *                                              ; ext-value: 1*(%x21-3A / %x3C / %x3E-7E)
 * </pre>
 *
 * A record must have a {@code rua}; the URIs are kept when they are {@code mailto:} or {@code https:} (§3: the
 * two ways of §5), the others ignored. Commas and semicolons inside a URI are percent-encoded by the publisher.
 *
 * @param rua the reporting URIs, in the record's order
 */
public record TlsRptRecord(List<URI> rua) {

    private static final Pattern VERSION = Pattern.compile("^v=TLSRPTv1[ \t]*(;|$)");
    private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3a\\x3c\\x3e-\\x7e]+");

    public TlsRptRecord {
        rua = List.copyOf(rua);
    }

    /** §3: of several TXT records, those that do not start with the version are discarded before counting. */
    public static boolean isCandidate(String txt) {
        return VERSION.matcher(txt).find();
    }

    /**
     * Parses one record.
     *
     * @throws IllegalArgumentException with the reason when it is not a valid TLSRPTv1 record
     */
    public static TlsRptRecord parse(String txt) {
        if (!isCandidate(txt)) {
            throw new IllegalArgumentException("does not start with v=TLSRPTv1");
        }
        String[] fields = txt.substring("v=TLSRPTv1".length()).split(";", -1);
        // fields[0] is the whitespace before the first ";"; a last empty field is the optional final delimiter
        List<URI> uris = new ArrayList<>();
        boolean ruaSeen = false;
        for (int i = 1; i < fields.length; i++) {
            String field = strip(fields[i]);
            if (field.isEmpty() && i == fields.length - 1 && i > 1) {
                break;
            }
            int eq = field.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("field without '=': \"" + field + "\"");
            }
            String name = field.substring(0, eq);
            String value = field.substring(eq + 1);
            if (name.equals("rua")) {
                ruaSeen = true;
                uris.addAll(uris(value));
            } else if (!EXT_NAME.matcher(name).matches() || !EXT_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("bad field \"" + field + "\"");
            }
        }
        if (!ruaSeen) {
            throw new IllegalArgumentException("no rua");
        }
        return new TlsRptRecord(uris);
    }

    private static List<URI> uris(String value) {
        List<URI> out = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String text = strip(part);
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("rua \"" + text + "\" is not a URI");
            }
            if (text.isEmpty() || uri.getScheme() == null || text.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new IllegalArgumentException("rua \"" + text + "\" is not an absolute URI");
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("mailto") || scheme.equals("https") && uri.getHost() != null) {
                out.add(uri);
            }
        }
        return out;
    }

    /** *WSP on both sides (RFC 5234: SP and HTAB only). */
    private static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    /** The {@code mailto:} recipients (RFC 6068: the address before any {@code ?}, percent-decoded). */
    public List<String> mailboxes() {
        List<String> out = new ArrayList<>();
        for (URI uri : rua) {
            if (uri.getScheme().equalsIgnoreCase("mailto")) {
                String part = uri.getSchemeSpecificPart(); // decoded
                int q = part.indexOf('?');
                String address = q < 0 ? part : part.substring(0, q);
                if (!address.isEmpty()) {
                    out.add(address);
                }
            }
        }
        return out;
    }

    /** The {@code https:} endpoints. */
    public List<URI> endpoints() {
        return rua.stream().filter(u -> u.getScheme().equalsIgnoreCase("https")).toList();
    }
}
