package dev.tern.tlsrpt;

import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the reports in a received message (RFC 8460 §5.3): the {@code application/tlsrpt+gzip} and
 * {@code application/tlsrpt+json} parts, at the top or inside {@code multipart/*} (a {@code multipart/report}
 * as the RFC asks, or a {@code multipart/mixed} some senders use). Small and strict: a Content-Type is
 * {@code type/subtype} with {@code ;name=value} parameters (a token or a quoted string, no comments), a part
 * is base64, 7bit, 8bit or binary, multipart nesting stops at {@link #MAX_DEPTH}. Header lines may end in CRLF
 * or LF (a Maildir file written by another program).
 */
final class MimeReports {

    /** Nesting deeper than a report ever needs is refused rather than followed. */
    static final int MAX_DEPTH = 5;

    /** What one message holds. */
    sealed interface Found {
        /** At least one report part, each read. */
        record Reports(List<TlsReport> reports) implements Found {
        }

        /** No report part: another kind of mail. */
        record NotAReport() implements Found {
        }

        /** A report part that cannot be read, and why. */
        record Corrupt(String reason) implements Found {
        }
    }

    private MimeReports() {
    }

    static Found read(byte[] message) {
        List<TlsReport> reports = new ArrayList<>();
        try {
            part(message, 0, reports);
        } catch (ReportJson.InvalidReportException e) {
            return new Found.Corrupt(e.getMessage());
        } catch (IOException e) {
            return new Found.Corrupt(e.toString());
        }
        return reports.isEmpty() ? new Found.NotAReport() : new Found.Reports(reports);
    }

    private static void part(byte[] bytes, int depth, List<TlsReport> out)
            throws IOException, ReportJson.InvalidReportException {
        HeaderBlock header = HeaderBlock.parse(bytes, HeaderBlock.LineEnds.LF);
        ContentType type = ContentType.parse(value(header, "Content-Type"));
        byte[] body = Arrays.copyOfRange(bytes, header.bodyOffset(), bytes.length);
        if (type.is("multipart")) {
            if (depth >= MAX_DEPTH) {
                throw new ReportJson.InvalidReportException("multipart nested deeper than " + MAX_DEPTH);
            }
            String boundary = type.params().get("boundary");
            if (boundary == null || boundary.isEmpty()) {
                throw new ReportJson.InvalidReportException(type.media() + " without a boundary");
            }
            for (byte[] inner : split(body, boundary)) {
                part(inner, depth + 1, out);
            }
            return;
        }
        boolean gzip = type.media().equals("application/tlsrpt+gzip");
        if (!gzip && !type.media().equals("application/tlsrpt+json")) {
            return;
        }
        byte[] content = decode(body, value(header, "Content-Transfer-Encoding"));
        out.add(gzip ? ReportJson.readGzip(new ByteArrayInputStream(content))
                : ReportJson.read(new ByteArrayInputStream(content)));
    }

    private static String value(HeaderBlock header, String name) {
        for (HeaderField f : header.namedFields()) {
            if (f.is(name)) {
                return f.value().strip();
            }
        }
        return null;
    }

    private static byte[] decode(byte[] body, String encoding) throws ReportJson.InvalidReportException {
        String cte = encoding == null ? "7bit" : encoding.toLowerCase(Locale.ROOT);
        switch (cte) {
            case "base64" -> {
                try {
                    return Base64.getMimeDecoder().decode(body);
                } catch (IllegalArgumentException e) {
                    throw new ReportJson.InvalidReportException("bad base64: " + e.getMessage());
                }
            }
            case "7bit", "8bit", "binary" -> {
                return body;
            }
            default -> throw new ReportJson.InvalidReportException("Content-Transfer-Encoding " + encoding
                    + " is not read here");
        }
    }

    /**
     * The parts between {@code --boundary} lines, up to {@code --boundary--} (RFC 2046 §5.1.1): the line break
     * before a delimiter belongs to the delimiter, so a part ends without it.
     */
    static List<byte[]> split(byte[] body, String boundary) throws ReportJson.InvalidReportException {
        byte[] dash = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> parts = new ArrayList<>();
        int partStart = -1;
        for (int line = 0; line < body.length; ) {
            int end = line;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            int next = Math.min(end + 1, body.length);
            if (startsWith(body, line, end, dash)) {
                boolean last = end - line >= dash.length + 2 && body[line + dash.length] == '-'
                        && body[line + dash.length + 1] == '-';
                if (partStart >= 0) {
                    int partEnd = line;
                    if (partEnd > partStart && body[partEnd - 1] == '\n') {
                        partEnd--;
                    }
                    if (partEnd > partStart && body[partEnd - 1] == '\r') {
                        partEnd--;
                    }
                    parts.add(Arrays.copyOfRange(body, partStart, Math.max(partStart, partEnd)));
                }
                if (last) {
                    return parts;
                }
                partStart = next;
            }
            line = next;
        }
        throw new ReportJson.InvalidReportException("multipart without its closing boundary");
    }

    private static boolean startsWith(byte[] body, int from, int end, byte[] prefix) {
        if (end - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[from + i] != prefix[i]) {
                return false;
            }
        }
        // what follows is "--", or only transport padding (RFC 2046 §5.1.1)
        int rest = from + prefix.length;
        if (rest + 1 < end && body[rest] == '-' && body[rest + 1] == '-') {
            rest += 2;
        }
        for (int i = rest; i < end; i++) {
            if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    /** A Content-Type value (RFC 2045 §5.1); none means {@code text/plain}. */
    record ContentType(String media, Map<String, String> params) {

        boolean is(String type) {
            return media.startsWith(type + "/");
        }

        static ContentType parse(String value) throws ReportJson.InvalidReportException {
            if (value == null) {
                return new ContentType("text/plain", Map.of());
            }
            String[] parts = splitParameters(value);
            String media = parts[0].strip().toLowerCase(Locale.ROOT);
            if (!media.matches("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")) {
                throw new ReportJson.InvalidReportException("Content-Type \"" + value + "\" has no type/subtype");
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    throw new ReportJson.InvalidReportException("Content-Type parameter \"" + p + "\" has no value");
                }
                String v = p.substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1");
                }
                params.put(p.substring(0, eq).strip().toLowerCase(Locale.ROOT), v);
            }
            return new ContentType(media, params);
        }

        /** Splits at the semicolons outside quoted strings. */
        private static String[] splitParameters(String value) {
            List<String> out = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (quoted && c == '\\' && i + 1 < value.length()) {
                    current.append(c).append(value.charAt(++i));
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == ';' && !quoted) {
                    out.add(current.toString());
                    current.setLength(0);
                    continue;
                }
                current.append(c);
            }
            out.add(current.toString());
            return out.toArray(String[]::new);
        }
    }
}
