package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.MilterSettings;
import dev.tern.milter.DebianMilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tern's milter client against Debian's rspamd: its proxy worker in milter mode (self_scan), as a Postfix operator
 * runs it with {@code smtpd_milters = inet:localhost:11332}. Configuration in src/test/resources/milter/rspamd:
 * Debian's rules, no Redis, no network.
 */
class RspamdMilterIT {

    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    private static final List<String> FILES = new ArrayList<>(List.of("rspamd.conf", "local.d/options.inc",
            "local.d/milter_headers.conf", "local.d/classifier-bayes.conf"));

    static {
        for (String m : List.of("rbl", "fuzzy_check", "asn", "dcc", "phishing", "neural", "ratelimit", "greylist",
                "replies", "history_redis", "reputation", "url_reputation", "mx_check", "spamassassin", "clickhouse",
                "elastic", "metadata_exporter", "dmarc", "spf", "dkim", "arc", "dkim_signing", "emails", "multimap",
                "hfilter", "whitelist", "maillist", "once_received", "rspamd_update", "bimi", "p0f",
                "external_services", "antivirus")) {
            FILES.add("local.d/" + m + ".conf");
        }
    }

    @TempDir
    static Path dir;
    private static DebianMilter rspamd;

    @BeforeAll
    static void start() throws Exception {
        String program = DebianMilter.program("rspamd", "rspamd");
        int port = DebianMilter.freePort();
        DebianMilter.render("/milter/rspamd", FILES, dir, Map.of("PORT", Integer.toString(port)));
        List<String> command = new ArrayList<>(List.of(program, "-f", "-c", dir.resolve("rspamd.conf").toString(),
                "--var=LOCAL_CONFDIR=" + dir, "--var=DBDIR=" + dir, "--var=RUNDIR=" + dir, "--var=LOGDIR=" + dir));
        if (DebianMilter.root()) {
            command.addAll(List.of("-u", "root", "-g", "root"));
        }
        rspamd = DebianMilter.start(command, port, dir.resolve("rspamd.out"), 180);
    }

    @AfterAll
    static void stop() {
        if (rspamd != null) {
            rspamd.close();
        }
    }

    private static SessionHarness harness() {
        SessionHarness harness = new SessionHarness();
        Duration t = Duration.ofSeconds(60);
        harness.milters = List.of(new MilterSettings("rspamd", MilterSettings.Address.parse(rspamd.address()),
                List.of(), MilterSettings.DefaultAction.TEMPFAIL, t, t, t, t));
        return harness;
    }

    private static String message(String body) {
        return "EHLO mail.remote.example\r\nMAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@localhost>\r\nDATA\r\n"
                + "From: A <a@remote.example>\r\nTo: alice@localhost\r\nSubject: hello\r\n"
                + "Date: Sat, 28 Nov 2026 12:00:00 +0000\r\nMessage-ID: <1@remote.example>\r\n\r\n"
                + body + "\r\n.\r\nQUIT\r\n";
    }

    @Test
    void aPlainMessageIsStoredWithRspamdsHeaders() throws IOException {
        SessionHarness harness = harness();

        List<String> replies = harness.run(message("Hello Alice, see you tomorrow."));

        assertThat(replies).as(rspamd.output()).anyMatch(l -> l.startsWith("250 2.0.0 OK: queued as "));
        String stored = harness.spool.committed.get(0).text();
        assertThat(stored).containsPattern("(?m)^X-Spamd-Result: default: False \\[")
                .containsPattern("(?m)^X-Spam-Status: No, score=");
        assertThat(stored).endsWith("\r\n\r\nHello Alice, see you tomorrow.\r\n");
        assertThat(Files.readString(dir.resolve("rspamd.log"))).contains("a@remote.example");
    }

    @Test
    void theGtubeStringIsRejectedWithRspamdsText() {
        SessionHarness harness = harness();

        List<String> replies = harness.run(message("This is spam: " + GTUBE));

        assertThat(replies).contains("554 5.7.1 Gtube pattern");
        assertThat(harness.spool.committed).isEmpty();
    }
}
