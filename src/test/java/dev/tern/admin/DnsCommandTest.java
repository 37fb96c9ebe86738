package dev.tern.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.auth.PasswordHasher;
import dev.tern.config.MtaStsSettings;
import dev.tern.sts.PublishedPolicy;
import dev.tern.testdns.TestDnsServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tern dns} against a real DNS server on loopback. */
class DnsCommandTest {

    private static final java.util.Map<String, KeyPair> PAIRS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final PasswordHasher CHEAP = new PasswordHasher(new PasswordHasher.Cost(256, 1, 1));

    @TempDir
    Path dir;

    private TestDnsServer server;
    private Path config;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        server = TestDnsServer.start();
        config = dir.resolve("tern.toml");
        Files.writeString(config, "hostname = \"mx.example.com\"\ndata_dir = \"data\"\n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run run(String... args) {
        CommandLine cl = TernCommand.commandLine(PasswordInput.stream(new ByteArrayInputStream(new byte[0])), CHEAP);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run dns(String domain) {
        return run("dns", domain, "--config", config.toString(), "--server", "127.0.0.1:" + server.port());
    }

    /** Writes a PKCS#8 PEM key where the DKIM signer keeps it and returns the p= value DNS should publish. */
    private String key(String domain, String selector, String algorithm) throws Exception {
        KeyPair pair = PAIRS.computeIfAbsent(domain + "/" + selector + "/" + algorithm, k -> generate(algorithm));
        Path file = dir.resolve("data/dkim/" + domain + "/" + selector + ".key");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        byte[] spki = pair.getPublic().getEncoded();
        // RFC 8463 §4.2: an Ed25519 p= is the bare 32-octet key, the end of the SubjectPublicKeyInfo.
        return Base64.getEncoder().encodeToString(algorithm.equals("RSA") ? spki
                : Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    }

    /** Generated once per domain, selector and algorithm: RSA key generation is slow. */
    private static KeyPair generate(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("RSA")) {
                generator.initialize(1024);
            }
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** TXT data longer than one character-string, split as a zone file would. */
    private void addLongTxt(String name, String data) {
        server.addTxt(name, data.length() <= 255 ? new String[] {data}
                : new String[] {data.substring(0, 255), data.substring(255)});
    }

    @Test
    void printsTheRecordsAndFindsThemAllPublished() throws Exception {
        String p = key("example.com", "s1", "RSA");
        server.add("example.com", "MX", "10 mx.example.com.").add("mx.example.com", "A", "192.0.2.25")
                .addTxt("example.com", "v=spf1 mx -all").addTxt("example.com", "google-site-verification=x")
                .addTxt("_dmarc.example.com", "v=DMARC1; p=quarantine; rua=mailto:d@example.com")
                .addTxt("_mta-sts.example.com", OUR_POLICY.txtRecord())
                .add("mta-sts.example.com", "CNAME", "mx.example.com.")
                .addTxt("_smtp._tls.example.com", "v=TLSRPTv1; rua=mailto:tls@example.com");
        addLongTxt("s1._domainkey.example.com", "v=DKIM1; k=rsa; p=" + p);

        Run run = dns("Example.COM");

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("example.com. IN MX 10 mx.example.com.",
                "example.com. IN TXT \"v=spf1 mx -all\"",
                "s1._domainkey.example.com. IN TXT \"v=DKIM1; k=rsa; p=" + p.substring(0, 100),
                "_dmarc.example.com. IN TXT \"v=DMARC1; p=none; rua=mailto:postmaster@example.com\"",
                "\"v=spf1 ip4:192.0.2.25 -all\"");
        assertThat(run.out().lines().filter(l -> l.matches("(OK|MISSING|DIFFERENT|UNKNOWN) .*")))
                .hasSize(8).allMatch(l -> l.startsWith("OK "));
        assertThat(run.exit()).isZero();
    }

    /** The policy of the configuration the tests write: testing, the hostname, a week. */
    private static final PublishedPolicy OUR_POLICY = PublishedPolicy.of(MtaStsSettings.defaults(), "mx.example.com");

    @Test
    void printsThisHostsTlsaRecordFromItsCertificateWithoutCheckingIt() throws Exception {
        Run before = dns("example.com");
        assertThat(before.out()).contains("; (no certificate found yet: start tern serve once");
        // The certificate tern serve makes when none is configured, where it keeps it.
        dev.tern.tls.ReloadingCertificate cert = dev.tern.tls.TlsCertificates.selfSigned(dir.resolve("data/tls"),
                "mx.example.com");
        java.security.cert.X509Certificate leaf;
        try (var in = Files.newInputStream(cert.chainFile())) {
            leaf = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
        String spki = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(leaf.getPublicKey().getEncoded()));

        Run run = dns("example.com");

        assertThat(run.out()).contains("_25._tcp.mx.example.com. IN TLSA 3 1 1 " + spki);
        assertThat(run.out().lines().filter(l -> l.matches("(OK|MISSING|DIFFERENT|UNKNOWN) .*")))
                .noneMatch(l -> l.contains("TLSA"));
    }

    @Test
    void printsTheMtaStsRecordsAndThePolicyFileWithWhereToServeIt() {
        Run run = dns("example.com");

        assertThat(run.out()).contains("_mta-sts.example.com. IN TXT \"v=STSv1; id=" + OUR_POLICY.id() + "\"",
                "_smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:postmaster@example.com\"",
                "; The MTA-STS policy, served as text/plain at https://mta-sts.example.com/.well-known/mta-sts.txt",
                "\nversion: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 604800\n");
        assertThat(run.out()).containsPattern("(?m)^MISSING +STS +_mta-sts.example.com has no MTA-STS record")
                .containsPattern("(?m)^MISSING +STSWEB +mta-sts.example.com has no address")
                .containsPattern("(?m)^MISSING +TLSRPT +_smtp._tls.example.com has no TLS-RPT record");
    }

    @Test
    void anOldIdTwoRecordsOrAReportRecordWithoutAddressAreDifferent() throws Exception {
        server.addTxt("_mta-sts.example.com", "v=STSv1; id=20240101").add("mta-sts.example.com", "A", "192.0.2.80")
                .addTxt("_smtp._tls.example.com", "v=TLSRPTv1;");
        Files.writeString(config, "hostname = \"mx.example.com\"\ndata_dir = \"data\"\n"
                + "[mta_sts]\nmode = \"enforce\"\n");

        Run run = dns("example.com");

        assertThat(run.out()).contains("mode: enforce")
                .containsPattern("(?m)^DIFFERENT +STS +_mta-sts.example.com: id=20240101 is not the id of the policy here")
                .containsPattern("(?m)^OK +STSWEB +mta-sts.example.com has address 192.0.2.80")
                .containsPattern("(?m)^DIFFERENT +TLSRPT .*names no rua= address");
        server.addTxt("_mta-sts.example.com", "v=STSv1; id=20240202");
        assertThat(dns("example.com").out()).containsPattern("(?m)^DIFFERENT +STS .* has 2 v=STSv1 records");
    }

    @Test
    void anUnpublishedDomainIsMissingEverything() throws Exception {
        key("example.com", "s1", "RSA");

        Run run = dns("example.com");

        assertThat(run.out()).containsPattern("(?m)^MISSING +MX +example.com has no MX record")
                .containsPattern("(?m)^MISSING +HOST +mx.example.com has no A or AAAA record")
                .containsPattern("(?m)^MISSING +SPF +example.com has no SPF record")
                .containsPattern("(?m)^MISSING +DKIM +s1._domainkey.example.com has no key record")
                .containsPattern("(?m)^MISSING +DMARC +_dmarc.example.com has no DMARC record");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void wrongRecordsAreDifferentWithWhatIsWrong() throws Exception {
        key("example.com", "s1", "RSA");
        String other = key("elsewhere.example", "s1", "RSA");
        server.add("example.com", "MX", "10 mail.provider.example.").add("mx.example.com", "A", "192.0.2.25")
                .addTxt("example.com", "v=spf1 mx -all").addTxt("example.com", "v=spf1 include:x.example -all")
                .addTxt("_dmarc.example.com", "v=DMARC1; p=none").addTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        addLongTxt("s1._domainkey.example.com", "v=DKIM1; k=rsa; p=" + other);

        Run run = dns("example.com");

        assertThat(run.out()).containsPattern("(?m)^DIFFERENT +MX +example.com points at mail.provider.example, "
                        + "not at mx.example.com")
                .containsPattern("(?m)^DIFFERENT +SPF +example.com has 2 SPF records")
                .containsPattern("(?m)^DIFFERENT +DKIM +s1._domainkey.example.com: DKIM key mismatch")
                .containsPattern("(?m)^DIFFERENT +DMARC +_dmarc.example.com has 2 DMARC records");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void anSpfRecordNotNamingThisHostAndARevokedKeyAreDifferent() throws Exception {
        key("example.com", "s1", "RSA");
        server.add("mx.example.com", "A", "192.0.2.25").addTxt("example.com", "v=spf1 ip4:198.51.100.0/24 -all")
                .addTxt("s1._domainkey.example.com", "v=DKIM1; p=")
                .addTxt("_dmarc.example.com", "v=DMARC1; p=sometimes");

        Run run = dns("example.com");

        assertThat(run.out()).containsPattern("(?m)^DIFFERENT +SPF .*does not name mx, a:mx.example.com")
                .containsPattern("(?m)^DIFFERENT +DKIM .*revoked")
                .containsPattern("(?m)^DIFFERENT +DMARC .*no valid p= tag");
    }

    @Test
    void anSpfRecordNamingTheAddressIsFine() throws Exception {
        server.add("mx.example.com", "A", "192.0.2.25").addTxt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");

        assertThat(dns("example.com").out()).containsPattern("(?m)^OK +SPF .*\\(ip4:192.0.2.0/24\\)");
    }

    @Test
    void anEd25519KeyIsPublishedAsItsBareKey() throws Exception {
        String p = key("example.com", "ed", "Ed25519");
        server.addTxt("ed._domainkey.example.com", "v=DKIM1; k=ed25519; p=" + p);

        Run run = dns("example.com");

        assertThat(run.out()).contains("ed._domainkey.example.com. IN TXT \"v=DKIM1; k=ed25519; p=" + p + "\"")
                .containsPattern("(?m)^OK +DKIM +ed._domainkey.example.com publishes the ed25519 key");
    }

    @Test
    void withoutAKeyItSaysToGenerateOneFirst() {
        Run run = dns("example.com");

        assertThat(run.out()).containsPattern("(?m)^MISSING +DKIM +no DKIM key for example.com: "
                + "run 'tern dkim keygen example.com' first");
    }

    @Test
    void dnsFailuresAreUnknownNotMissing() {
        server.servfail("example.com").servfail("_dmarc.example.com").servfail("_mta-sts.example.com")
                .servfail("_smtp._tls.example.com");

        Run run = dns("example.com");

        assertThat(run.out()).containsPattern("(?m)^UNKNOWN +MX ").containsPattern("(?m)^UNKNOWN +SPF ")
                .containsPattern("(?m)^UNKNOWN +DMARC ").containsPattern("(?m)^UNKNOWN +STS ")
                .containsPattern("(?m)^UNKNOWN +TLSRPT ");
    }

    @Test
    void badArgumentsAreOneLine() {
        Run badServer = run("dns", "example.com", "--server", "dns.example:53");
        Run badDomain = run("dns", "[192.0.2.1]");

        assertThat(badServer.exit()).isEqualTo(1);
        assertThat(badServer.err().strip()).isEqualTo("tern: --server: not an IP address with an optional port: dns.example:53");
        assertThat(badDomain.exit()).isEqualTo(1);
        assertThat(badDomain.err().strip().lines()).hasSize(1).allMatch(l -> l.contains("not a domain name"));
    }

    @Test
    void serverSyntax() throws Exception {
        assertThat(DnsCommand.settings("192.0.2.1").servers().get(0).getPort()).isEqualTo(53);
        assertThat(DnsCommand.settings("192.0.2.1:5353").servers().get(0).getPort()).isEqualTo(5353);
        assertThat(DnsCommand.settings("[::1]:54").servers().get(0).getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(DnsCommand.settings("::1").servers().get(0).getPort()).isEqualTo(53);
    }
}
