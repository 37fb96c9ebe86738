package dev.tern.admin;

import dev.tern.admin.bench.BenchPlan;
import dev.tern.admin.bench.BenchReport;
import dev.tern.admin.bench.BenchResult;
import dev.tern.admin.bench.LoadRun;
import dev.tern.admin.bench.MaildirCounter;
import dev.tern.admin.bench.MessageFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tern bench}: a load generator in the manner of Postfix's smtp-source, to measure any SMTP server
 * (Tern or another) by accepted messages per second, latency and, with {@code --maildir}, by messages
 * accepted and delivered to Maildir per second.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Sends generated mail to an SMTP server over concurrent connections and reports messages/s and latency.",
            "With --maildir it also waits for the mail to land in Maildir new/ directories and reports the"
                + " accepted-and-delivered rate.",
            "Exit status: 0 when every message was accepted (and delivered, with --expect-delivered), 1 otherwise."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "SMTP server address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "2525", description = "SMTP server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-n", "--messages"}, defaultValue = "1000", description = "Messages to send in total (default: ${DEFAULT-VALUE}).")
    long messages;

    @Option(names = {"-c", "--connections"}, defaultValue = "10", description = "Concurrent connections, one virtual thread each (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-s", "--size"}, defaultValue = "1024", description = "Approximate message size in octets, headers included (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = {"-r", "--recipients"}, defaultValue = "1", description = "Recipients per message; above 1, --to must contain %%d (default: ${DEFAULT-VALUE}).")
    int recipients;

    @Option(names = {"-k", "--per-connection"}, defaultValue = "1",
            description = "Messages per connection before QUIT and a new connection; 1 is smtp-source's default (default: ${DEFAULT-VALUE}).")
    int perConnection;

    @Option(names = "--from", defaultValue = "bench@localhost", description = "Envelope sender and From: address (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to", defaultValue = "bench@localhost",
            description = "Recipient address; %%d is replaced by a user number 1..--users, e.g. user%%d@localhost (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--users", description = "How many user numbers %%d cycles through (default: the number of recipients).")
    Integer users;

    @Option(names = "--pipelining", description = "Send MAIL, RCPT and DATA as one group when the server offers PIPELINING (RFC 2920).")
    boolean pipelining;

    @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for each reply (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--maildir", paramLabel = "DIR",
            description = "Also wait for delivery: count new files in every new/ directory under DIR and report the accepted-and-delivered rate.")
    Path maildir;

    @Option(names = "--expect-delivered",
            description = "With --maildir: fail unless every accepted message reached every recipient's Maildir before --delivery-timeout.")
    boolean expectDelivered;

    @Option(names = "--delivery-timeout", defaultValue = "120", description = "Seconds to wait for deliveries after the last message was sent (default: ${DEFAULT-VALUE}).")
    int deliveryTimeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        BenchPlan plan;
        MessageFactory factory;
        try {
            plan = new BenchPlan(host, port, messages, connections, perConnection, pipelining,
                    Duration.ofSeconds(timeoutSeconds));
            factory = new MessageFactory(from, to, recipients, users == null ? recipients : users, size);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (expectDelivered && maildir == null) {
            throw new ParameterException(spec.commandLine(), "--expect-delivered needs --maildir");
        }
        PrintWriter out = spec.commandLine().getOut();
        MaildirCounter counter = maildir == null ? null : MaildirCounter.startingNow(maildir);
        out.printf(Locale.ROOT, "bench: %d messages of about %d octets, %d recipient(s) each, to %s:%d over %d connections, %d per connection%s%n",
                messages, size, recipients, host, port, connections, perConnection, pipelining ? ", pipelining" : "");
        out.flush();
        BenchResult result = new LoadRun(plan, factory).run();
        BenchReport report = new BenchReport(out);
        report.load(result);
        boolean ok = result.failed() == 0;
        if (counter != null) {
            long expected = result.accepted() * recipients;
            MaildirCounter.Delivered delivered =
                    counter.await(expected, Duration.ofSeconds(deliveryTimeoutSeconds), Duration.ofMillis(100));
            report.delivery(result, delivered, expected, recipients);
            ok &= !expectDelivered || delivered.files() >= expected;
        } else {
            report.summary(result, null, 0);
        }
        out.flush();
        return ok ? 0 : 1;
    }
}
