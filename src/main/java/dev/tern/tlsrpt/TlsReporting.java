package dev.tern.tlsrpt;

import dev.tern.config.TlsReportSettings;
import dev.tern.dns.DnsResolver;
import dev.tern.io.PrivateFiles;
import dev.tern.mail.Address;
import dev.tern.observe.MailLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link TlsResults} and the daily reports of RFC 8460.
 *
 * <p>Each outcome is counted in memory ({@link DailyTallies}: per UTC day, policy domain and policy, bounded by
 * {@code [tls_reports]}); counting takes one short lock and never throws, so the courier never waits on it.
 * The counts are written to {@code <data>/tlsrpt/counts.json} every {@code snapshot_interval} and at stop,
 * atomically; a crash loses at most the sessions of the last interval. These are statistics, not mail: a lost
 * interval makes a report a little low, nothing more.
 *
 * <p>After each UTC day ends, plus a random delay of up to {@code max_send_delay} (§4.1: receivers should not
 * get every sender's report at midnight), one report per policy domain counted that day is built and sent to
 * the {@code rua} of its {@code _smtp._tls} record ({@link ReportDestinations}); a domain without a valid record
 * gets none. The day is then forgotten and the counts written again, so a report is sent at most once unless
 * the process dies between the two.
 */
public final class TlsReporting implements TlsResults, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TlsReporting.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TlsReportSettings settings;
    private final String hostname;
    private final Path dir;
    private final Clock clock;
    private final DailyTallies tallies;
    private final ReportDestinations destinations;
    private final HttpsReportPoster poster;
    private final ReportDelivery delivery;
    private final ScheduledExecutorService timer;
    private final ReentrantLock sending = new ReentrantLock();
    private final ReentrantLock writing = new ReentrantLock();
    private final AtomicReference<LocalDate> warnedDrop = new AtomicReference<>();

    private TlsReporting(TlsReportSettings settings, String hostname, Address from, Path dir, DnsResolver dns,
                         ReportMailer mailer, SSLContext tls, Clock clock) {
        this.settings = settings;
        this.hostname = hostname;
        this.dir = dir;
        this.clock = clock;
        this.tallies = new DailyTallies(settings);
        this.destinations = new ReportDestinations(dns);
        this.poster = new HttpsReportPoster(tls, settings.httpsTimeout());
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("tls-reports").daemon().factory());
        this.delivery = new ReportDelivery(mailer, poster, timer, settings.httpsRetries(),
                settings.httpsRetryDelay(), from, hostname, clock);
    }

    /**
     * Opens the counts kept in {@code dir} (created when missing; a file that cannot be read is set aside as
     * {@code counts.json.bad} and counting starts afresh). Call {@link #start} to run the schedule.
     *
     * @param hostname our host name: the report's submitter and the default organization and contact
     * @param from     the sender of report mail
     * @param tls      the CAs HTTPS endpoints are verified against
     */
    public static TlsReporting open(TlsReportSettings settings, String hostname, Address from, Path dir,
                                    DnsResolver dns, ReportMailer mailer, SSLContext tls, Clock clock)
            throws IOException {
        PrivateFiles.createDirectories(dir);
        TlsReporting reporting = new TlsReporting(settings, hostname, from, dir, dns, mailer, tls, clock);
        try {
            Snapshot.read(dir, reporting.tallies);
        } catch (IOException | ReportJson.InvalidReportException e) {
            Path bad = dir.resolve(Snapshot.FILE + ".bad");
            Files.move(dir.resolve(Snapshot.FILE), bad, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("TLS report counts {} cannot be read ({}); set aside as {}, counting starts afresh",
                    dir.resolve(Snapshot.FILE), e.getMessage(), bad);
        }
        return reporting;
    }

    @Override
    public void record(TlsOutcome outcome) {
        try {
            LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            if (!tallies.record(day, outcome) && !day.equals(warnedDrop.getAndSet(day))) {
                MailLog.event(null, "tlsrpt-limit").with("domain", outcome.policyDomain())
                        .with("reason", "not a domain, or past max_policy_domains or max_policies_per_domain; "
                                + "said once a day").warn();
            }
        } catch (RuntimeException e) {
            LOG.warn("TLS report: an outcome was not counted: {}", e.toString());
        }
    }

    /** Runs the schedule: counts written every {@code snapshot_interval}, reports after each day's end. */
    public void start() {
        long every = settings.snapshotInterval().toMillis();
        timer.scheduleWithFixedDelay(this::writeCounts, every, every, TimeUnit.MILLISECONDS);
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        boolean pending = tallies.days().stream().anyMatch(d -> d.isBefore(today));
        // Days that ended while the server was down are reported soon; otherwise after the coming midnight.
        schedule(pending ? randomDelay() : untilMidnight(now).plus(randomDelay()));
    }

    private void schedule(Duration delay) {
        try {
            timer.schedule(() -> {
                sendEndedDays();
                schedule(untilMidnight(clock.instant()).plus(randomDelay()));
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // closing
        }
    }

    private static Duration untilMidnight(Instant now) {
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        return Duration.between(now, midnight);
    }

    private Duration randomDelay() {
        long max = settings.maxSendDelay().toMillis();
        return Duration.ofMillis(max == 0 ? 0 : RANDOM.nextLong(max + 1));
    }

    /** Sends the reports of every day that has ended (UTC); returns how many reports were built. */
    public int sendEndedDays() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        int built = 0;
        for (LocalDate day : tallies.days()) {
            if (day.isBefore(today)) {
                built += sendDay(day);
            }
        }
        return built;
    }

    /**
     * Builds and sends the reports of {@code day} now, then forgets the day (the schedule calls it for ended
     * days; an operator's tool or a test may call it for today). Returns how many reports were built.
     */
    public int sendDay(LocalDate day) {
        sending.lock();
        try {
            Map<String, List<TlsReport.PolicyResult>> domains = tallies.day(day);
            long dropped = tallies.dropped(day);
            int built = 0;
            for (Map.Entry<String, List<TlsReport.PolicyResult>> e : domains.entrySet()) {
                built += sendDomain(day, e.getKey(), e.getValue()) ? 1 : 0;
            }
            tallies.remove(day);
            MailLog.event(null, "tlsrpt-day").with("day", day).with("domains", domains.size())
                    .with("reports", built).with("dropped", dropped == 0 ? null : dropped).log();
            writeCounts();
            return built;
        } finally {
            sending.unlock();
        }
    }

    private boolean sendDomain(LocalDate day, String domain, List<TlsReport.PolicyResult> results) {
        try {
            ReportDestinations.Lookup lookup = destinations.lookup(domain);
            if (!(lookup instanceof ReportDestinations.Lookup.Found found)) {
                String why = lookup instanceof ReportDestinations.Lookup.None none ? none.why()
                        : ((ReportDestinations.Lookup.Failed) lookup).why();
                MailLog.event(null, "tlsrpt-skipped").with("domain", domain).with("day", day).with("reason", why)
                        .log();
                return false;
            }
            TlsReport report = report(day, domain, results);
            delivery.deliver(domain, report, found.record());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("TLS report for {} of {} not sent: {}", domain, day, e.toString());
            return false;
        }
    }

    /** The report of one domain for one UTC day: 00:00:00 to 23:59:59, as RFC 8460's example has it. */
    TlsReport report(LocalDate day, String domain, List<TlsReport.PolicyResult> results) {
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        String id = day + "." + domain + "." + HexFormat.of().formatHex(random) + "@" + hostname;
        return new TlsReport(settings.organizationFor(hostname), start, end, settings.contactFor(hostname), id,
                results);
    }

    /** Writes the counts now (the schedule does it every {@code snapshot_interval}). */
    public void writeCounts() {
        writing.lock();
        try {
            Snapshot.write(dir, tallies);
        } catch (IOException | RuntimeException e) {
            LOG.warn("TLS report counts not written to {}: {}", dir, e.toString());
        } finally {
            writing.unlock();
        }
    }

    /** A copy of one day's counts, per policy domain (tests, and what a report would hold). */
    public Map<String, List<TlsReport.PolicyResult>> counts(LocalDate day) {
        return tallies.day(day);
    }

    /** Stops the schedule (retries under way are given up) and writes the counts. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeCounts();
        poster.close();
    }
}
