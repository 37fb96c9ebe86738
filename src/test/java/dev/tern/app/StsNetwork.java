package dev.tern.app;

import dev.tern.auth.PasswordHasher;
import dev.tern.auth.StoredPasswords;
import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import dev.tern.sts.PolicyHost;
import dev.tern.testdns.LoopbackHosts;
import dev.tern.testdns.TestDnsServer;
import dev.tern.testsmtp.StartTlsProxy;
import dev.tern.tls.TestAuthority;
import dev.tern.tlsrpt.TlsReport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two Terns on loopback for the end-to-end tests of the recipient domain's policies (MTA-STS, REQUIRETLS):
 * alice@a.test submits to A over STARTTLS with AUTH; A delivers through the MX walk to B, which receives for the
 * test's domains with a certificate of a test CA that A trusts ({@code [delivery] ca_file}).
 *
 * <p>B listens on 127.0.0.1; A never reaches it directly. Every MX host resolves (in {@link TestDnsServer}) to a
 * {@link StartTlsProxy} on the same port of another loopback address, which relays to B and writes down what
 * went in clear text: {@link #watch} (127.0.0.2, an honest path), {@link #strip} (127.0.0.3, removes STARTTLS)
 * and {@link #rogue} (127.0.0.4, a host no policy names). The policies are served by one {@link PolicyHost}
 * for every {@code mta-sts.<domain>}, found by A's HTTP client through {@link LoopbackHosts}.
 */
final class StsNetwork implements AutoCloseable {

    static final String PASSWORD = "alice's long password";
    static final String WATCH = "127.0.0.2";
    static final String STRIP = "127.0.0.3";
    static final String ROGUE = "127.0.0.4";

    final Path dir;
    final TestDnsServer dns;
    final TestAuthority ca;
    final List<String> domains;
    final Tern b;
    final StartTlsProxy watch;
    final StartTlsProxy strip;
    final StartTlsProxy rogue;
    private final Map<String, String> policies = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private PolicyHost web;
    private int webPort;
    Tern a;
    Path dataA;
    private TernConfig configA;

    private StsNetwork(Path dir, TestDnsServer dns, TestAuthority ca, List<String> domains, Tern b)
            throws IOException {
        this.dir = dir;
        this.dns = dns;
        this.ca = ca;
        this.domains = domains;
        this.b = b;
        InetSocketAddress toB = new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port("mx"));
        watch = StartTlsProxy.start(InetAddress.getByName(WATCH), b.port("mx"), toB);
        strip = StartTlsProxy.start(InetAddress.getByName(STRIP), b.port("mx"), toB);
        strip.stripStartTls = true;
        rogue = StartTlsProxy.start(InetAddress.getByName(ROGUE), b.port("mx"), toB);
        dns.add("mx.b.test", "A", WATCH);
    }

    /**
     * Starts the DNS server and B, receiving for bob@ each of {@code domains} with a certificate for
     * {@code certificateNames}.
     */
    static StsNetwork start(Path dir, List<String> domains, List<String> certificateNames) throws Exception {
        TestDnsServer dns = TestDnsServer.start();
        TestAuthority ca = TestAuthority.create(dir.resolve("pki"));
        TestAuthority.Files cert = ca.issue(certificateNames);
        Path dataB = dir.resolve("b");
        FileDirectory users = new FileDirectory(dataB, domains);
        for (String domain : domains) {
            users.addUser("bob@" + domain, "unused");
        }
        Tern b = Tern.start(Outbound.load(dir, """
                hostname = "mx.b.test"
                domains = [%s]
                [dns]
                servers = ["127.0.0.1:%d"]
                timeout = "1s"
                retries = 0
                [[tls.certificate]]
                fullchain = "%s"
                privkey = "%s"
                [[listener]]
                name = "mx"
                role = "mx"
                address = "127.0.0.1"
                port = 0
                """.formatted(quoted(domains), dns.port(), cert.fullchain(), cert.privkey()), dataB));
        return new StsNetwork(dir, dns, ca, domains, b);
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(n -> "\"" + n + "\"").toList());
    }

    /** The domain's MX record names {@code host}, which resolves to {@code address}. */
    StsNetwork mx(String domain, String host, String address) {
        dns.remove(domain).add(domain, "MX", "10 " + host + ".");
        if (!host.equals("mx.b.test")) {
            dns.remove(host).add(host, "A", address);
        }
        return this;
    }

    /** A policy text as RFC 8461 §3.2 writes it. */
    static String policy(String mode, long maxAge, String... mx) {
        StringBuilder text = new StringBuilder("version: STSv1\r\nmode: " + mode + "\r\n");
        for (String pattern : mx) {
            text.append("mx: ").append(pattern).append("\r\n");
        }
        return text.append("max_age: ").append(maxAge).append("\r\n").toString();
    }

    /** Publishes {@code text} as the domain's policy, with a new {@code id} in its {@code _mta-sts} record. */
    void publish(String domain, String text) {
        policies.put("mta-sts." + domain, text);
        republish(domain);
    }

    /** A new {@code id} in the record, the policy served unchanged. */
    void republish(String domain) {
        LoopbackHosts.add("mta-sts." + domain);
        dns.remove("_mta-sts." + domain).addTxt("_mta-sts." + domain, "v=STSv1; id=p" + ids.incrementAndGet());
    }

    /** The HTTPS server for every {@code mta-sts.<domain>}, on the port A fetches from (the same each time). */
    void startWeb() throws IOException {
        web = new PolicyHost(ca.serverTls(domains.stream().map(d -> "mta-sts." + d).toList()));
        webPort = web.port();
        web.answer(e -> {
            String host = e.getRequestHeaders().getFirst("Host").replaceFirst(":\\d+$", "");
            String text = policies.get(host);
            if (text != null && e.getRequestURI().getPath().equals("/.well-known/mta-sts.txt")) {
                PolicyHost.send(e, 200, "text/plain", text);
            } else {
                PolicyHost.send(e, 404, "text/plain", "not found");
            }
        });
    }

    void stopWeb() {
        if (web != null) {
            web.close();
            web = null;
        }
    }

    /** Starts A with a new data directory, closing each connection after its message. */
    Tern startA(Path data) throws Exception {
        return startA(data, "0s");
    }

    /** Starts A with a new data directory, keeping idle connections for {@code reuseTime}. */
    Tern startA(Path data, String reuseTime) throws Exception {
        dataA = data;
        TernConfig config = Outbound.load(dir, """
                hostname = "mx.a.test"
                domains = ["a.test"]
                [queue]
                retry_initial = "1s"
                retry_max = "1s"
                [delivery]
                mx_port = %d
                connect_timeout = "2s"
                command_timeout = "5s"
                reuse_time = "%s"
                ca_file = "%s"
                [dns]
                servers = ["127.0.0.1:%d"]
                timeout = "1s"
                retries = 0
                cache_max_bytes = 0
                [mta_sts]
                fetch_port = %d
                fetch_timeout = "2s"
                [[listener]]
                name = "submission"
                role = "submission"
                address = "127.0.0.1"
                port = 0
                """.formatted(b.port("mx"), reuseTime, ca.caFile(), dns.port(), webPort), data);
        new FileDirectory(data, config.domains()).addUser("alice@a.test",
                StoredPasswords.derive(new PasswordHasher(), PASSWORD.toCharArray()));
        configA = config;
        a = Tern.start(config);
        return a;
    }

    /** Starts A again, after {@link #stopA}, on the same data directory: its queue and policy cache stay. */
    void startAgain() throws IOException {
        a = Tern.start(configA);
    }

    /** One test case's start: no paths recorded yet, the policy server up, a fresh A in {@code data}. */
    void beginCase(Path data) throws Exception {
        clearPaths();
        startWeb();
        startA(data);
    }

    /** One test case's end: A and the policy server stopped; the DNS server and B stay for the next case. */
    void endCase() {
        stopA();
        stopWeb();
    }

    void stopA() {
        if (a != null) {
            a.close();
            a = null;
        }
    }

    /**
     * alice@a.test submits {@code content} for {@code to} over STARTTLS and AUTH PLAIN, with {@code REQUIRETLS} on
     * MAIL FROM when asked; returns the queue id from A's reply.
     */
    String submit(String to, String content, boolean requireTls) throws IOException {
        try (SmtpTestClient client = new SmtpTestClient(a.port("submission"))) {
            expect(client.reply(), "220");
            expect(client.command("EHLO laptop.a.test"), "250");
            expect(client.command("STARTTLS"), "220");
            client.startTls();
            expect(client.command("EHLO laptop.a.test"), "250");
            String plain = Base64.getEncoder().encodeToString(("\0alice@a.test\0" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            expect(client.command("AUTH PLAIN " + plain), "235");
            expect(client.command("MAIL FROM:<alice@a.test>" + (requireTls ? " REQUIRETLS" : "")), "250");
            expect(client.command("RCPT TO:<" + to + ">"), "250");
            expect(client.command("DATA"), "354");
            client.send("From: alice@a.test\r\nTo: " + to + "\r\n" + content + "\r\n.\r\n");
            String queued = expect(client.reply(), "250");
            client.command("QUIT");
            return queued.substring(queued.lastIndexOf(' ') + 1);
        }
    }

    private static String expect(String reply, String code) throws IOException {
        if (reply == null || !reply.startsWith(code)) {
            throw new IOException("expected " + code + ", got " + reply);
        }
        return reply;
    }

    /** What {@code tern queue list} says of A's queue. */
    String queueList() {
        return Outbound.tern("queue", "list", "--data", dataA.toString()).out();
    }

    /** A's TLS results for the domain today, as its TLS report would list them. */
    List<TlsReport.PolicyResult> tlsResults(String domain) {
        return a.tlsReporting().counts(LocalDate.now(ZoneOffset.UTC)).getOrDefault(domain, List.of());
    }

    /** The messages in bob@domain's Maildir on B. */
    List<String> bobsMail(String domain) throws Exception {
        return Outbound.mails(b.config().dataDir().resolve("mail").resolve(domain).resolve("bob").resolve("new"));
    }

    /** Every connection the three paths relayed. */
    List<StartTlsProxy.Connection> connections() {
        List<StartTlsProxy.Connection> all = new ArrayList<>(watch.connections());
        all.addAll(strip.connections());
        all.addAll(rogue.connections());
        return all;
    }

    void clearPaths() {
        watch.clear();
        strip.clear();
        rogue.clear();
    }

    @Override
    public void close() {
        stopA();
        stopWeb();
        watch.close();
        strip.close();
        rogue.close();
        b.close();
        dns.close();
        for (String domain : domains) {
            LoopbackHosts.remove("mta-sts." + domain);
        }
    }
}
