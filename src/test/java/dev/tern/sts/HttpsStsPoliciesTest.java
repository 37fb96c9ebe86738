package dev.tern.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.MtaStsSettings;
import dev.tern.testdns.FakeDnsResolver;
import dev.tern.testlog.MailLogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache rules of RFC 8461 §5.1 over the fakes of the DNS and fetch seams; {@code StsPoliciesIT} runs the same
 * story over a real DNS server and real HTTPS.
 */
class HttpsStsPoliciesTest {

    private static final String ENFORCE = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n";
    private static final String TESTING = "version: STSv1\nmode: testing\nmx: *.example.com\nmax_age: 86400\n";
    private static final String NONE = "version: STSv1\nmode: none\nmax_age: 86400\n";

    @TempDir
    Path dir;

    private final FakeDnsResolver dns = new FakeDnsResolver();
    private final ScriptedFetcher fetcher = new ScriptedFetcher();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));

    private HttpsStsPolicies policies() {
        return policies(MtaStsSettings.defaults());
    }

    private HttpsStsPolicies policies(MtaStsSettings settings) {
        return new HttpsStsPolicies(settings, dns, new PolicyCache(dir, 100), fetcher, clock);
    }

    private void publish(String id) {
        dns.remove("_mta-sts.example.com").add("_mta-sts.example.com", "TXT", "v=STSv1; id=" + id + ";");
    }

    @Test
    void aPublishedPolicyIsFetchedOnceAndThenServedFromTheCache() {
        publish("one");
        fetcher.serve("example.com", ENFORCE);
        HttpsStsPolicies policies = policies();

        StsLookup first = policies.lookup("Example.COM.");
        StsLookup again = policies.lookup("example.com");

        assertThat(first).isInstanceOfSatisfying(StsLookup.Found.class, f -> {
            assertThat(f.policy().mode()).isEqualTo(StsPolicy.Mode.ENFORCE);
            assertThat(f.policy().id()).isEqualTo("one");
            assertThat(f.policy().matches("MX.example.com.")).isTrue();
            assertThat(f.text()).isEqualTo(ENFORCE);
        });
        assertThat(again).isEqualTo(first);
        assertThat(fetcher.fetched()).containsExactly("example.com");
    }

    @Test
    void noRecordIsNoPolicyWithoutAFetch() {
        dns.add("_mta-sts.example.com", "TXT", "something else");

        assertThat(policies().lookup("example.com")).isEqualTo(new StsLookup.None());
        assertThat(policies().lookup("example.org")).isEqualTo(new StsLookup.None());
        assertThat(policies().lookup("[192.0.2.1]")).isEqualTo(new StsLookup.None());
        assertThat(fetcher.fetched()).isEmpty();
    }

    @Test
    void aNewIdIsFetchedAtOnce() {
        publish("one");
        fetcher.serve("example.com", ENFORCE);
        HttpsStsPolicies policies = policies();
        policies.lookup("example.com");
        publish("two");
        fetcher.serve("example.com", TESTING);
        clock.advance(Duration.ofMinutes(1));

        StsLookup found = policies.lookup("example.com");

        assertThat(found).isInstanceOfSatisfying(StsLookup.Found.class, f -> {
            assertThat(f.policy().id()).isEqualTo("two");
            assertThat(f.policy().mode()).isEqualTo(StsPolicy.Mode.TESTING);
        });
        assertThat(fetcher.fetched()).hasSize(2);
    }

    @Test
    void aDnsFailureOrAStrippedRecordKeepsTheCachedPolicyUntilItExpires() {
        publish("one");
        fetcher.serve("example.com", ENFORCE);
        HttpsStsPolicies policies = policies();
        StsLookup fresh = policies.lookup("example.com");
        try (MailLogCapture log = new MailLogCapture()) {
            dns.remove("_mta-sts.example.com").fail("_mta-sts.example.com");
            assertThat(policies.lookup("example.com")).as("SERVFAIL").isEqualTo(fresh);
            dns.remove("_mta-sts.example.com");
            clock.advance(Duration.ofHours(23));
            assertThat(policies.lookup("example.com")).as("record gone").isEqualTo(fresh);
            assertThat(policies.lookup("example.com")).as("again").isEqualTo(fresh);
            assertThat(policies().lookup("example.com")).as("a restart").isEqualTo(fresh);

            // Said once when the record went, not at every lookup; again by the restarted instance.
            assertThat(log.lines()).hasSize(2).allMatch(l -> l.startsWith("mta-sts domain=example.com result=cached-kept"));
            assertThat(log.lines().get(0)).contains("DNS lookup of _mta-sts.example.com failed", "until=2026-03-02T12:00:00Z");
        }
        clock.advance(Duration.ofHours(1));
        try (MailLogCapture log = new MailLogCapture()) {
            assertThat(policies.lookup("example.com")).as("expired").isEqualTo(new StsLookup.None());
            assertThat(log.lines()).containsExactly("mta-sts domain=example.com result=expired id=one");
        }
        assertThat(dir.resolve("example.com")).doesNotExist();
    }

    @Test
    void aFailedFetchKeepsTheCachedPolicyOrIsReportedWithItsResultType() {
        publish("one");
        fetcher.serve("example.com", ENFORCE);
        HttpsStsPolicies policies = policies();
        StsLookup fresh = policies.lookup("example.com");
        publish("two");
        fetcher.fail("example.com", PolicyFetcher.WEBPKI_INVALID);

        try (MailLogCapture log = new MailLogCapture()) {
            assertThat(policies.lookup("example.com")).isEqualTo(fresh);
            assertThat(log.lines()).singleElement().asString().startsWith(
                    "mta-sts domain=example.com result=sts-webpki-invalid id=two").contains("using=cached cached_id=one");
        }
        clock.advance(Duration.ofDays(1));
        assertThat(policies.lookup("example.com")).as("expired, and the fetch still fails")
                .isEqualTo(new StsLookup.Failed(PolicyFetcher.WEBPKI_INVALID, "scripted sts-webpki-invalid"));
    }

    @Test
    void anInvalidPolicyIsStsPolicyInvalid() {
        publish("one");
        fetcher.serve("example.com", "version: STSv1\nmode: enforce\nmax_age: 86400\n");

        StsLookup lookup = policies().lookup("example.com");

        assertThat(lookup).isEqualTo(new StsLookup.Failed(PolicyFetcher.INVALID, "invalid policy: no mx field in mode enforce"));
    }

    @Test
    void aDnsFailureWithNothingCachedIsAFetchErrorAndAnInvalidRecordIsNoPolicy() {
        dns.fail("_mta-sts.example.com").add("_mta-sts.example.org", "TXT", "v=STSv1; id=a; id=b");

        assertThat(policies().lookup("example.com")).isInstanceOfSatisfying(StsLookup.Failed.class,
                f -> assertThat(f.resultType()).isEqualTo(PolicyFetcher.FETCH_ERROR));
        try (MailLogCapture log = new MailLogCapture()) {
            assertThat(policies().lookup("example.org")).isEqualTo(new StsLookup.None());
            assertThat(log.lines()).singleElement().asString().contains("result=no-policy", "invalid record");
        }
    }

    @Test
    void aFailedIdIsNotFetchedAgainUntilFetchRetryHasPassed() {
        publish("one");
        fetcher.fail("example.com", PolicyFetcher.FETCH_ERROR);
        HttpsStsPolicies policies = policies();

        StsLookup first = policies.lookup("example.com");
        clock.advance(Duration.ofMinutes(4));
        StsLookup second = policies.lookup("example.com");
        assertThat(fetcher.fetched()).hasSize(1);
        assertThat(second).isEqualTo(first).isInstanceOf(StsLookup.Failed.class);

        publish("two"); // a new id is another policy: fetched at once
        policies.lookup("example.com");
        assertThat(fetcher.fetched()).hasSize(2);
        clock.advance(Duration.ofMinutes(5));
        fetcher.serve("example.com", ENFORCE);
        assertThat(policies.lookup("example.com")).isInstanceOf(StsLookup.Found.class);
        assertThat(fetcher.fetched()).hasSize(3);
    }

    @Test
    void afterHalfItsMaxAgeAPolicyIsRefreshedAndAFailedRefreshKeepsIt() {
        publish("one");
        fetcher.serve("example.com", ENFORCE);
        HttpsStsPolicies policies = policies();
        policies.lookup("example.com");
        clock.advance(Duration.ofHours(11));
        policies.lookup("example.com");
        assertThat(fetcher.fetched()).hasSize(1);

        clock.advance(Duration.ofHours(2));
        try (MailLogCapture log = new MailLogCapture()) {
            assertThat(policies.lookup("example.com")).isInstanceOf(StsLookup.Found.class);
            assertThat(log.lines()).singleElement().asString().contains("result=refreshed");
        }
        assertThat(fetcher.fetched()).hasSize(2);
        clock.advance(Duration.ofHours(23)); // 36h after the first fetch, 23h after the refresh
        fetcher.fail("example.com", PolicyFetcher.FETCH_ERROR);
        assertThat(policies.lookup("example.com")).isInstanceOf(StsLookup.Found.class);
        assertThat(fetcher.fetched()).hasSize(3);
    }

    @Test
    void modeNoneWithdrawsThePolicy() {
        publish("one");
        fetcher.serve("example.com", ENFORCE);
        HttpsStsPolicies policies = policies();
        policies.lookup("example.com");
        publish("two");
        fetcher.serve("example.com", NONE);

        assertThat(policies.lookup("example.com")).isEqualTo(new StsLookup.None());
        dns.fail("_mta-sts.example.com");
        assertThat(policies.lookup("example.com")).as("the none policy is what is cached now")
                .isEqualTo(new StsLookup.None());
        assertThat(fetcher.fetched()).hasSize(2);
    }

    @Test
    void configuredOffIsNone() throws Exception {
        assertThat(HttpsStsPolicies.configured(MtaStsSettings.defaults().withEnabled(false), dns, dir, null))
                .isSameAs(StsPolicies.NONE);
    }
}
