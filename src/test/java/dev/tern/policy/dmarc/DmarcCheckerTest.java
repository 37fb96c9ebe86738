package dev.tern.policy.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.dns.ResolverSettings;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.policy.dmarc.DmarcRecord.Policy;
import dev.tern.policy.spf.SpfOutcome;
import dev.tern.policy.spf.SpfResult;
import dev.tern.testdns.TestDnsServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discovery and evaluation against a real DNS server on loopback. */
class DmarcCheckerTest {

    private static final PublicSuffixList PSL = PublicSuffixList.bundled();

    private TestDnsServer server;
    private DnsjavaResolver dns;

    @BeforeEach
    void start() throws Exception {
        server = TestDnsServer.start();
        dns = new DnsjavaResolver(ResolverSettings.of(server.address(), Duration.ofMillis(500), 0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private DmarcChecker checker(int draw) {
        return new DmarcChecker(dns, PSL, new FixedDraw(draw));
    }

    private static byte[] from(String address) {
        return ("From: " + address + "\r\nSubject: x\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static SpfResult spf(SpfOutcome outcome, String domain) {
        return new SpfResult(outcome, domain, "", "test");
    }

    private static DkimSignatureResult dkim(String d, String result) {
        return new DkimSignatureResult(d, "sel", result, false, "abcdefghij");
    }

    @Test
    void discoveryUsesTheFromDomainThenTheOrganizationalDomain() {
        server.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine")
                .addTxt("_dmarc.own.example.com", "v=DMARC1; p=none");
        PolicyDiscovery discovery = new PolicyDiscovery(dns, PSL);

        assertThat(discovery.discover("example.com"))
                .isEqualTo(new PolicyDiscovery.Found(DmarcRecord.parse("v=DMARC1; p=reject; sp=quarantine")
                        .orElseThrow(), "example.com", false));
        assertThat(discovery.discover("a.b.example.com")).isInstanceOfSatisfying(PolicyDiscovery.Found.class,
                f -> {
                    assertThat(f.policyDomain()).isEqualTo("example.com");
                    assertThat(f.organizational()).isTrue();
                });
        assertThat(discovery.discover("own.example.com")).isInstanceOfSatisfying(PolicyDiscovery.Found.class,
                f -> assertThat(f.record().policy()).isEqualTo(Policy.NONE));
        assertThat(discovery.discover("nothing.example.org")).isInstanceOf(PolicyDiscovery.NoPolicy.class);
    }

    @Test
    void nonDmarcTxtIsIgnoredAndTwoRecordsMeanNoPolicy() {
        server.addTxt("_dmarc.one.example", "v=spf1 -all").addTxt("_dmarc.one.example", "v=DMARC1; p=reject")
                .addTxt("_dmarc.two.example", "v=DMARC1; p=reject").addTxt("_dmarc.two.example", "v=DMARC1; p=none")
                .addTxt("_dmarc.bad.example", "v=DMARC1; p=maybe");
        PolicyDiscovery discovery = new PolicyDiscovery(dns, PSL);

        assertThat(discovery.discover("one.example")).isInstanceOf(PolicyDiscovery.Found.class);
        assertThat(discovery.discover("two.example")).isInstanceOfSatisfying(PolicyDiscovery.NoPolicy.class,
                n -> assertThat(n.reason()).contains("2 DMARC records"));
        assertThat(checker(0).check(from("a@bad.example"), null, List.of()).outcome()).isEqualTo(DmarcOutcome.NONE);
    }

    @Test
    void temporaryFailureIsTemperrorAtEitherStep() {
        server.servfail("_dmarc.broken.example").servfail("_dmarc.example.net");

        assertThat(checker(0).check(from("a@broken.example"), null, List.of()).outcome())
                .isEqualTo(DmarcOutcome.TEMPERROR);
        assertThat(checker(0).check(from("a@sub.example.net"), null, List.of()).outcome())
                .isEqualTo(DmarcOutcome.TEMPERROR);
    }

    @Test
    void alignedSpfOrDkimPassesAndNothingAlignedFails() {
        server.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; aspf=s");
        DmarcChecker checker = checker(0);

        DmarcResult spfPass = checker.check(from("a@example.com"), spf(SpfOutcome.PASS, "example.com"), List.of());
        DmarcResult relaxedSpfOnly = checker.check(from("a@example.com"),
                spf(SpfOutcome.PASS, "bounces.example.com"), List.of());
        DmarcResult dkimPass = checker.check(from("a@example.com"), spf(SpfOutcome.FAIL, "example.com"),
                List.of(dkim("other.example", "pass"), dkim("mail.example.com", "pass")));
        DmarcResult failedSignature = checker.check(from("a@example.com"), null, List.of(dkim("example.com", "fail")));

        assertThat(spfPass.outcome()).isEqualTo(DmarcOutcome.PASS);
        assertThat(spfPass.spfAligned()).isTrue();
        assertThat(relaxedSpfOnly.outcome()).isEqualTo(DmarcOutcome.FAIL);
        assertThat(relaxedSpfOnly.disposition()).isEqualTo(Policy.REJECT);
        assertThat(dkimPass.outcome()).isEqualTo(DmarcOutcome.PASS);
        assertThat(dkimPass.dkimAligned()).isTrue();
        assertThat(dkimPass.disposition()).isEqualTo(Policy.NONE);
        assertThat(failedSignature.outcome()).isEqualTo(DmarcOutcome.FAIL);
    }

    @Test
    void aTestingSignatureDoesNotPass() {
        server.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");

        DmarcResult result = checker(0).check(from("a@example.com"), null,
                List.of(new DkimSignatureResult("example.com", "s", "pass", true)));

        assertThat(result.outcome()).isEqualTo(DmarcOutcome.FAIL);
    }

    @Test
    void aTemporaryAlignedCheckIsTemperrorNotFail() {
        server.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");

        assertThat(checker(0).check(from("a@example.com"), spf(SpfOutcome.TEMPERROR, "example.com"), List.of())
                .outcome()).isEqualTo(DmarcOutcome.TEMPERROR);
        assertThat(checker(0).check(from("a@example.com"), null, List.of(dkim("example.com", "temperror")))
                .outcome()).isEqualTo(DmarcOutcome.TEMPERROR);
        assertThat(checker(0).check(from("a@example.com"), spf(SpfOutcome.TEMPERROR, "other.example"), List.of())
                .outcome()).isEqualTo(DmarcOutcome.FAIL);
    }

    @Test
    void subdomainPolicyAppliesToSubdomainsFoundThroughTheOrganizationalDomain() {
        server.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine");

        DmarcResult sub = checker(0).check(from("a@news.example.com"), null, List.of());
        DmarcResult top = checker(0).check(from("a@example.com"), null, List.of());

        assertThat(sub.requested()).isEqualTo(Policy.QUARANTINE);
        assertThat(sub.disposition()).isEqualTo(Policy.QUARANTINE);
        assertThat(sub.policyDomain()).isEqualTo("example.com");
        assertThat(sub.fromDomain()).isEqualTo("news.example.com");
        assertThat(top.disposition()).isEqualTo(Policy.REJECT);
    }

    @Test
    void pctSamplesWhichFailuresGetThePolicy() {
        server.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; pct=30")
                .addTxt("_dmarc.example.org", "v=DMARC1; p=quarantine; pct=0");

        assertThat(checker(29).check(from("a@example.com"), null, List.of()).disposition()).isEqualTo(Policy.REJECT);
        assertThat(checker(30).check(from("a@example.com"), null, List.of()).disposition())
                .isEqualTo(Policy.QUARANTINE);
        assertThat(checker(0).check(from("a@example.org"), null, List.of()).disposition()).isEqualTo(Policy.NONE);
        FixedDraw draw = new FixedDraw(99);
        new DmarcChecker(dns, PSL, draw).check(from("a@example.com"), spf(SpfOutcome.PASS, "example.com"), List.of());
        assertThat(draw.draws()).as("a passing message is not sampled").isZero();
    }

    @Test
    void noSingleFromDomainIsPermerror() {
        DmarcResult result = checker(0).check("From: a@x.example\r\nFrom: b@y.example\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8), null, List.of());

        assertThat(result.outcome()).isEqualTo(DmarcOutcome.PERMERROR);
        assertThat(result.fromDomain()).isEmpty();
        assertThat(result.detail()).contains("2 From header fields");
    }
}
