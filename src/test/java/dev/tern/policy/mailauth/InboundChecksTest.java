package dev.tern.policy.mailauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.dns.DnsResolver;
import dev.tern.dns.DnsResult;
import dev.tern.dns.ForwardingDnsResolver;
import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import dev.tern.policy.dkim.DkimResult;
import dev.tern.policy.dmarc.AuthenticationPolicy;
import dev.tern.policy.dmarc.DkimSignatureResult;
import dev.tern.policy.dmarc.PublicSuffixList;
import dev.tern.policy.spf.SpfChecker;
import dev.tern.policy.spf.SpfOutcome;
import dev.tern.testdns.FakeDnsResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InboundChecksTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private static final InetAddress CLIENT = dev.tern.mail.IpNetwork.parseAddress("192.0.2.1");
    private static final String KEY_NAME = "rsa2048._domainkey.example.test";

    @Test
    void aPassWithUnsignedContentAfterLIsPolicyForDmarcAndTestingKeysStayMarked() {
        DkimResult lengthLimited = new DkimResult(DkimResult.Status.PASS, "", "example.test", "s", "@example.test",
                "rsa-sha256", "AbCdEfGh", false, true);
        DkimResult testing = new DkimResult(DkimResult.Status.PASS, "", "example.test", "s", "@example.test",
                "rsa-sha256", "AbCdEfGh", true, false);
        DkimResult failed = new DkimResult(DkimResult.Status.FAIL, "body hash mismatch", "example.test", "s", "",
                "rsa-sha256", "", false, false);

        List<DkimSignatureResult> adapted = InboundChecks.forDmarc(List.of(lengthLimited, testing, failed));

        assertThat(adapted).extracting(DkimSignatureResult::result).containsExactly("policy", "pass", "fail");
        assertThat(adapted).extracting(DkimSignatureResult::testing).containsExactly(false, true, false);
        assertThat(adapted.get(0).signature()).isEqualTo("AbCdEfGh");
    }

    @Test
    void keyNamesComeFromTheTagsOfEachSignatureUpToTheLimit() {
        List<HeaderField> fields = HeaderBlock.parse(("DKIM-Signature: v=1; d = Example.TEST ;\r\n s=sel\r\n 1;"
                + " b=x\r\nDKIM-Signature: v=1; s=only\r\ndkim-signature: d=b.test; s=two\r\n"
                + "DKIM-Signature: d=c.test; s=three\r\n\r\n").getBytes(StandardCharsets.US_ASCII), HeaderBlock.LineEnds.LF).namedFields();

        assertThat(DkimTags.keyNames(fields, 3)).containsExactly("sel1._domainkey.Example.TEST", "two._domainkey.b.test");
    }

    @Test
    void prefetchedAnswersAreAskedOnceAndOthersGoStraightThrough() {
        Counting dns = new Counting(new FakeDnsResolver().add("a.test", "TXT", "one"));
        PrefetchingDns lookups = new PrefetchingDns(dns);

        lookups.prefetchTxt("a.test");
        lookups.prefetchTxt("A.test.");

        assertThat(lookups.txt("A.TEST").records()).containsExactly("one");
        assertThat(lookups.txt("a.test").records()).containsExactly("one");
        assertThat(lookups.txt("b.test")).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(dns.asked).containsOnly(Map.entry("a.test", 1), Map.entry("b.test", 1));
    }

    /**
     * The key lookup answers only once the DMARC lookup has begun: were they made one after the other, the key
     * would time out (temperror) instead of verifying.
     */
    @Test
    void theKeyAndDmarcLookupsRunSideBySide() throws IOException {
        CountDownLatch dmarcAsked = new CountDownLatch(1);
        FakeDnsResolver zone = zone().add("_dmarc.example.test", "TXT", "v=DMARC1; p=reject");
        DnsResolver dns = new Counting(zone) {
            @Override
            public DnsResult<String> txt(String name) {
                if (name.equals("_dmarc.example.test")) {
                    dmarcAsked.countDown();
                } else if (name.equals(KEY_NAME)) {
                    try {
                        if (!dmarcAsked.await(20, TimeUnit.SECONDS)) {
                            return new DnsResult.Temporary<>("lookups were not concurrent");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.txt(name);
            }
        };
        InboundChecks checks = checks(dns);

        InboundResult result = checks.finish(checks.start(CLIENT, "alice@example.test", "c.example"), signed());

        assertThat(result.dkimKeywords()).isEqualTo("pass");
        assertThat(result.dmarcKeyword()).isEqualTo("pass");
        assertThat(result.decision().action()).isEqualTo(AuthenticationPolicy.Action.ACCEPT);
    }

    @Test
    void anSpfCheckThatBreaksIsATemporaryErrorNotARefusal() throws IOException {
        FakeDnsResolver zone = zone();
        DnsResolver dns = new Counting(zone) {
            @Override
            public DnsResult<String> txt(String name) {
                if (name.equals("broken.test")) {
                    throw new IllegalStateException("resolver bug");
                }
                return super.txt(name);
            }
        };
        InboundChecks checks = checks(dns);

        InboundResult result = checks.finish(checks.start(CLIENT, "x@broken.test", "c.example"), signed());

        assertThat(result.spf().outcome()).isEqualTo(SpfOutcome.TEMPERROR);
        assertThat(result.spf().domain()).isEqualTo("broken.test");
        assertThat(result.header()).contains("spf=temperror smtp.mailfrom=x@broken.test");
        assertThat(result.decision().action()).isNotEqualTo(AuthenticationPolicy.Action.REJECT);
    }

    @Test
    void withoutVerificationNoSignatureIsCheckedAndNoKeyFetched() throws IOException {
        Counting dns = new Counting(zone());
        InboundChecks checks = new InboundChecks(dns, new SpfChecker(dns, "tern.test"), PublicSuffixList.bundled(),
                AuthenticationPolicy.defaults(), "tern.test", CLOCK, false, 10);

        InboundResult result = checks.finish(checks.start(CLIENT, "alice@example.test", "c.example"), signed());

        assertThat(result.dkim()).isEmpty();
        assertThat(dns.asked).doesNotContainKey(KEY_NAME);
        assertThat(result.dmarcKeyword()).isEqualTo("none");
    }

    private static InboundChecks checks(DnsResolver dns) {
        return new InboundChecks(dns, new SpfChecker(dns, "tern.test"), PublicSuffixList.bundled(),
                AuthenticationPolicy.defaults(), "tern.test", CLOCK, true, 10);
    }

    private static FakeDnsResolver zone() {
        return new FakeDnsResolver().add("example.test", "TXT", "v=spf1 ip4:192.0.2.1 -all")
                .add(KEY_NAME, "TXT", resource("keys/rsa2048.dns").strip());
    }

    private static ByteArrayInputStream signed() {
        return new ByteArrayInputStream(resource("signed/plain.rsa2048.relaxed-relaxed.eml")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    static String resource(String relative) {
        try {
            Path root = Path.of(InboundChecksTest.class.getResource("/dkim/vectors.tsv").toURI()).getParent();
            return Files.readString(root.resolve(relative), StandardCharsets.ISO_8859_1);
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts TXT questions by name; everything else is the wrapped resolver's. */
    static class Counting extends ForwardingDnsResolver {
        final Map<String, Integer> asked = new ConcurrentHashMap<>();

        Counting(DnsResolver dns) {
            super(dns);
        }

        @Override
        public DnsResult<String> txt(String name) {
            asked.merge(name, 1, Integer::sum);
            return delegate.txt(name);
        }
    }

}
