package dev.tern.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tern.config.TernConfig;
import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.store.FileDirectory;
import dev.tern.store.MaildirStore;
import dev.tern.tlsrpt.ReceivedReports;
import dev.tern.tlsrpt.ReportSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tern tls-report MAILBOX}: sums the TLS reports (RFC 8460) other senders mailed about our domains,
 * per reporting organization and policy domain: the dates covered, sessions that succeeded and failed, and
 * each failure type with its count and the MX hosts concerned. MAILBOX is a Maildir directory or a local
 * address (its mailbox in the data directory). Nothing in the Maildir is changed.
 */
@Command(name = "tls-report", mixinStandardHelpOptions = true,
        description = {"Summarize the TLS reports (RFC 8460) received in a mailbox; see docs/config-tls-reports.md.",
                "MAILBOX is a Maildir directory or a local address such as tls-reports@example.org."})
final class TlsReportCommand extends DataSubcommand {

    @Parameters(paramLabel = "MAILBOX", description = "A Maildir directory, or a local address.")
    String mailbox;
    @Option(names = "--since", paramLabel = "DATE",
            description = "Only reports that end on or after DATE (yyyy-mm-dd, UTC).")
    String since;
    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Instant from = since == null ? null : since(since);
        Path maildir = maildir();
        ReceivedReports read = ReceivedReports.read(maildir, from);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(read));
        } else {
            print(out, read);
        }
        out.flush();
        return 0;
    }

    private static Instant since(String text) throws UserError {
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new UserError("--since must be a date such as 2026-03-01, got \"" + text + "\"");
        }
    }

    /** A directory as given; an address is resolved through the directory (aliases too) to its mailbox. */
    private Path maildir() throws Exception {
        Path path = Path.of(mailbox);
        if (Files.isDirectory(path) || !mailbox.contains("@")) {
            return path;
        }
        TernConfig config = data.config();
        Address address;
        try {
            address = Address.parseMailbox(mailbox, true);
        } catch (AddressException e) {
            throw new UserError(mailbox + " is neither a directory nor an address: " + e.getMessage());
        }
        FileDirectory directory = new FileDirectory(config.dataDir(), config.domains());
        List<String> users = directory.resolve(address);
        if (users.isEmpty()) {
            throw new UserError(mailbox + " is not a local user or alias of " + config.dataDir());
        }
        return new MaildirStore(config.dataDir(), config.hostname()).mailbox(users.get(0));
    }

    static void print(PrintWriter out, ReceivedReports read) {
        for (ReportSummary s : read.summaries()) {
            out.println(s.key().policyDomain() + ", reported by " + s.key().organization());
            out.println("  " + s.start() + " to " + s.end() + ", " + s.reports() + " report"
                    + (s.reports() == 1 ? "" : "s") + ", policy " + String.join(", ", s.policyTypes()));
            out.println("  sessions: " + s.successes() + " successful, " + s.failures() + " failed");
            for (Map.Entry<String, ReportSummary.Failure> f : s.failureTypes().entrySet()) {
                List<String> hosts = f.getValue().mxHosts();
                out.println("    " + f.getKey() + ": " + f.getValue().sessions()
                        + (hosts.isEmpty() ? "" : " (" + String.join(", ", hosts) + ")"));
            }
        }
        out.println(read.messages() + " message" + (read.messages() == 1 ? "" : "s") + " read: " + read.reports()
                + " report" + (read.reports() == 1 ? "" : "s") + (read.older() > 0 ? ", " + read.older()
                + " older left out" : "") + ", " + read.notReports() + " not a report, " + read.corrupt().size()
                + " unreadable");
        for (ReceivedReports.Corrupt c : read.corrupt()) {
            out.println("unreadable: " + c.file() + ": " + c.reason());
        }
    }

    static String json(ReceivedReports read) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(text)) {
            g.writeStartObject();
            g.writeArrayFieldStart("summaries");
            for (ReportSummary s : read.summaries()) {
                g.writeStartObject();
                g.writeStringField("policy_domain", s.key().policyDomain());
                g.writeStringField("organization", s.key().organization());
                g.writeStringField("start", s.start().toString());
                g.writeStringField("end", s.end().toString());
                g.writeNumberField("reports", s.reports());
                g.writeNumberField("successful_sessions", s.successes());
                g.writeNumberField("failed_sessions", s.failures());
                g.writeArrayFieldStart("failures");
                for (Map.Entry<String, ReportSummary.Failure> f : s.failureTypes().entrySet()) {
                    g.writeStartObject();
                    g.writeStringField("result_type", f.getKey());
                    g.writeNumberField("sessions", f.getValue().sessions());
                    g.writeArrayFieldStart("mx_hosts");
                    for (String host : f.getValue().mxHosts()) {
                        g.writeString(host);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("messages", read.messages());
            g.writeNumberField("reports", read.reports());
            g.writeNumberField("older", read.older());
            g.writeNumberField("not_reports", read.notReports());
            g.writeArrayFieldStart("unreadable");
            for (ReceivedReports.Corrupt c : read.corrupt()) {
                g.writeStartObject();
                g.writeStringField("file", c.file().toString());
                g.writeStringField("reason", c.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return text.toString();
    }
}
