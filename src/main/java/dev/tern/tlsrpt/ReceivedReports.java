package dev.tern.tlsrpt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The TLS reports other senders mailed about our domains (RFC 8460 §5.3), read from a Maildir's {@code new/}
 * and {@code cur/} and summed per reporting organization and policy domain for {@code tern tls-report}.
 * Messages that are not reports are counted and skipped; a report that cannot be read is named with the reason.
 * The Maildir is only read, never changed (a mail client's flags stay as they are).
 */
public final class ReceivedReports {

    /** A message larger than this is not read: a report for a day of one domain is a few kilobytes. */
    public static final long MAX_MESSAGE_SIZE = 32L * 1024 * 1024;

    /** A message whose report could not be read. */
    public record Corrupt(Path file, String reason) {
    }

    private final Map<ReportSummary.Key, ReportSummary> summaries = new TreeMap<>();
    private final List<Corrupt> corrupt = new ArrayList<>();
    private int messages;
    private int reports;
    private int notReports;
    private int older;

    private ReceivedReports() {
    }

    /**
     * Reads every message of {@code maildir}'s {@code new/} and {@code cur/}.
     *
     * @param since reports that ended before this are left out (counted as older); null for all
     */
    public static ReceivedReports read(Path maildir, Instant since) throws IOException {
        if (!Files.isDirectory(maildir.resolve("new")) && !Files.isDirectory(maildir.resolve("cur"))) {
            throw new IOException(maildir + " is not a Maildir (no new/ or cur/)");
        }
        ReceivedReports out = new ReceivedReports();
        for (String sub : List.of("new", "cur")) {
            for (Path file : files(maildir.resolve(sub))) {
                out.message(file, since);
            }
        }
        return out;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private void message(Path file, Instant since) throws IOException {
        messages++;
        if (Files.size(file) > MAX_MESSAGE_SIZE) {
            corrupt.add(new Corrupt(file, "larger than " + MAX_MESSAGE_SIZE + " octets, not read"));
            return;
        }
        switch (MimeReports.read(Files.readAllBytes(file))) {
            case MimeReports.Found.NotAReport n -> notReports++;
            case MimeReports.Found.Corrupt c -> corrupt.add(new Corrupt(file, c.reason()));
            case MimeReports.Found.Reports found -> {
                for (TlsReport report : found.reports()) {
                    if (since != null && report.end().isBefore(since)) {
                        older++;
                        continue;
                    }
                    reports++;
                    add(report);
                }
            }
        }
    }

    private void add(TlsReport report) {
        for (TlsReport.PolicyResult result : report.policies()) {
            ReportSummary.Key key = new ReportSummary.Key(report.organization(),
                    DailyTallies.domainKey(result.policy().domain()) == null ? result.policy().domain()
                            : DailyTallies.domainKey(result.policy().domain()));
            summaries.computeIfAbsent(key, ReportSummary::new).add(report, result);
        }
    }

    /** One summary per (organization, policy domain), sorted by both. */
    public List<ReportSummary> summaries() {
        return List.copyOf(summaries.values());
    }

    public List<Corrupt> corrupt() {
        return List.copyOf(corrupt);
    }

    /** Messages read in {@code new/} and {@code cur/}. */
    public int messages() {
        return messages;
    }

    /** Reports summed (a message may carry more than one). */
    public int reports() {
        return reports;
    }

    /** Messages with no report part. */
    public int notReports() {
        return notReports;
    }

    /** Reports left out by {@code since}. */
    public int older() {
        return older;
    }
}
