package dev.tern.tlsrpt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The counts on disk: {@code <data>/tlsrpt/counts.json}, rewritten whole and atomically (temp file, fsync,
 * rename, fsync of the directory: {@link AtomicFiles}) every {@code snapshot_interval} and at stop. Each policy
 * is written as the {@code policies} element of a report ({@link ReportJson#writeResult}), so the file reads
 * like the reports it will become.
 */
final class Snapshot {

    static final String FILE = "counts.json";
    private static final int FORMAT = 1;
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private Snapshot() {
    }

    static void write(Path dir, DailyTallies tallies) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("format", FORMAT);
            json.writeArrayFieldStart("days");
            for (LocalDate day : tallies.days()) {
                json.writeStartObject();
                json.writeStringField("day", day.toString());
                json.writeNumberField("dropped", tallies.dropped(day));
                json.writeArrayFieldStart("domains");
                for (Map.Entry<String, List<TlsReport.PolicyResult>> domain : tallies.day(day).entrySet()) {
                    json.writeStartObject();
                    json.writeStringField("domain", domain.getKey());
                    json.writeArrayFieldStart("policies");
                    for (TlsReport.PolicyResult result : domain.getValue()) {
                        ReportJson.writeResult(json, result);
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        AtomicFiles.write(dir.resolve(FILE), out.toByteArray());
    }

    /** Reads the file into {@code tallies}; a missing file is an empty one. */
    static void read(Path dir, DailyTallies tallies) throws IOException, ReportJson.InvalidReportException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(FILE));
        } catch (NoSuchFileException e) {
            return;
        }
        JsonNode root = MAPPER.readTree(bytes);
        if (root == null || root.path("format").asInt() != FORMAT) {
            throw new ReportJson.InvalidReportException("not a format " + FORMAT + " counts file");
        }
        for (JsonNode day : root.path("days")) {
            LocalDate date;
            try {
                date = LocalDate.parse(day.path("day").asText());
            } catch (DateTimeParseException e) {
                throw new ReportJson.InvalidReportException("a day that is not a date: " + day.path("day"));
            }
            for (JsonNode domain : day.path("domains")) {
                for (JsonNode policy : domain.path("policies")) {
                    tallies.restore(date, domain.path("domain").asText(), ReportJson.readResult(policy));
                }
            }
        }
    }
}
