package dev.tern.tlsrpt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The JSON of RFC 8460 §4.3 and §4.4, with exactly its field names: written with Jackson's streaming generator,
 * read back into a {@link TlsReport} (Tern's own reports in tests, other senders' reports for
 * {@code tern tls-report}). Reading is strict about what a summary needs (the date range, the policies and their
 * counts) and lenient about the rest: {@code mx-host} as one string (the RFC's example before its erratum) or an
 * array, a date-time without its offset (seen in the wild) taken as UTC.
 */
public final class ReportJson {

    /** The most a report may hold once unzipped: far above a day of one domain, far below the heap. */
    public static final int MAX_REPORT_SIZE = 16 * 1024 * 1024;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build()).build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private ReportJson() {
    }

    /** The report as UTF-8 JSON. */
    public static byte[] write(TlsReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("organization-name", report.organization());
            json.writeObjectFieldStart("date-range");
            json.writeStringField("start-datetime", dateTime(report.start()));
            json.writeStringField("end-datetime", dateTime(report.end()));
            json.writeEndObject();
            if (report.contact() != null) {
                json.writeStringField("contact-info", report.contact());
            }
            json.writeStringField("report-id", report.reportId());
            json.writeArrayFieldStart("policies");
            for (TlsReport.PolicyResult result : report.policies()) {
                writeResult(json, result);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    /** The report, gzip'd ({@code application/tlsrpt+gzip}, RFC 8460 §5.1). */
    public static byte[] gzip(TlsReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(write(report));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One {@code policies} element: {@code policy}, {@code summary}, {@code failure-details}. */
    static void writeResult(JsonGenerator json, TlsReport.PolicyResult result) throws IOException {
        json.writeStartObject();
        TlsReport.Policy policy = result.policy();
        json.writeObjectFieldStart("policy");
        json.writeStringField("policy-type", policy.type());
        strings(json, "policy-string", policy.strings());
        json.writeStringField("policy-domain", policy.domain());
        if (!policy.mxHosts().isEmpty()) {
            strings(json, "mx-host", policy.mxHosts());
        }
        json.writeEndObject();
        json.writeObjectFieldStart("summary");
        json.writeNumberField("total-successful-session-count", result.successes());
        json.writeNumberField("total-failure-session-count", result.failures());
        json.writeEndObject();
        if (!result.details().isEmpty()) {
            json.writeArrayFieldStart("failure-details");
            for (TlsReport.FailureDetail d : result.details()) {
                json.writeStartObject();
                json.writeStringField("result-type", d.resultType());
                optional(json, "sending-mta-ip", d.sendingIp());
                optional(json, "receiving-mx-hostname", d.receivingMx());
                optional(json, "receiving-ip", d.receivingIp());
                json.writeNumberField("failed-session-count", d.count());
                optional(json, "additional-information", d.information());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void strings(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String v : values) {
            json.writeString(v);
        }
        json.writeEndArray();
    }

    private static void optional(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    /** RFC 3339 {@code date-time} in UTC, to the second (§4.4). */
    static String dateTime(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Reads a JSON report of at most {@link #MAX_REPORT_SIZE} octets. */
    public static TlsReport read(InputStream in) throws IOException, InvalidReportException {
        byte[] bytes = in.readNBytes(MAX_REPORT_SIZE + 1);
        if (bytes.length > MAX_REPORT_SIZE) {
            throw new InvalidReportException("larger than " + MAX_REPORT_SIZE + " octets");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidReportException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidReportException("not a JSON object");
        }
        JsonNode range = root.path("date-range");
        List<TlsReport.PolicyResult> policies = new ArrayList<>();
        JsonNode array = root.path("policies");
        if (!array.isArray()) {
            throw new InvalidReportException("no policies array");
        }
        for (JsonNode element : array) {
            policies.add(readResult(element));
        }
        return new TlsReport(text(root, "organization-name", true), instant(range, "start-datetime"),
                instant(range, "end-datetime"), text(root, "contact-info", false), text(root, "report-id", true),
                policies);
    }

    /** Reads a gzip'd report ({@code application/tlsrpt+gzip}). */
    public static TlsReport readGzip(InputStream in) throws IOException, InvalidReportException {
        try (GZIPInputStream unzipped = new GZIPInputStream(in)) {
            return read(unzipped);
        } catch (java.util.zip.ZipException e) {
            throw new InvalidReportException("not gzip: " + e.getMessage());
        }
    }

    static TlsReport.PolicyResult readResult(JsonNode element) throws InvalidReportException {
        JsonNode policy = element.path("policy");
        JsonNode summary = element.path("summary");
        if (!policy.isObject() || !summary.isObject()) {
            throw new InvalidReportException("a policies element without policy or summary");
        }
        List<TlsReport.FailureDetail> details = new ArrayList<>();
        for (JsonNode d : element.path("failure-details")) {
            details.add(new TlsReport.FailureDetail(text(d, "result-type", true), text(d, "sending-mta-ip", false),
                    text(d, "receiving-mx-hostname", false), text(d, "receiving-ip", false),
                    count(d, "failed-session-count"), text(d, "additional-information", false)));
        }
        return new TlsReport.PolicyResult(new TlsReport.Policy(text(policy, "policy-type", true),
                stringList(policy.path("policy-string")), text(policy, "policy-domain", true),
                stringList(policy.path("mx-host"))), count(summary, "total-successful-session-count"),
                count(summary, "total-failure-session-count"), details);
    }

    private static String text(JsonNode node, String name, boolean required) throws InvalidReportException {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidReportException("no " + name);
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidReportException(name + " is not a string");
        }
        return value.textValue();
    }

    private static long count(JsonNode node, String name) throws InvalidReportException {
        JsonNode value = node.get(name);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new InvalidReportException(name + " is not a count");
        }
        return value.longValue();
    }

    private static List<String> stringList(JsonNode node) throws InvalidReportException {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.textValue());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw new InvalidReportException("a list of strings holds " + element.getNodeType());
            }
            out.add(element.textValue());
        }
        return out;
    }

    private static Instant instant(JsonNode range, String name) throws InvalidReportException {
        String text = text(range, name, true);
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                throw new InvalidReportException(name + " is not an RFC 3339 date-time: " + text);
            }
        }
    }

    /** A report that cannot be read, and why. */
    public static final class InvalidReportException extends Exception {
        public InvalidReportException(String reason) {
            super(reason);
        }
    }
}
