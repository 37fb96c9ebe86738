package dev.tern.tlsrpt;

import static dev.tern.tlsrpt.Outcomes.failure;
import static dev.tern.tlsrpt.Outcomes.noPolicy;
import static dev.tern.tlsrpt.Outcomes.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.TlsReportSettings;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DailyTalliesTest {

    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);

    @Test
    void countsSuccessesFailuresAndOneRowPerFailureKey() {
        DailyTallies tallies = new DailyTallies(TlsReportSettings.defaults());
        for (int i = 0; i < 5; i++) {
            tallies.record(DAY, success("example.org", "mx1.mail.example.org"));
        }
        tallies.record(DAY, failure("example.org", "mx2.mail.example.org", "certificate-expired", "expired 3 days ago"));
        tallies.record(DAY, failure("example.org", "mx2.mail.example.org", "certificate-expired", "another text"));
        tallies.record(DAY, failure("example.org", "mx1.mail.example.org", "certificate-host-mismatch", null));

        Map<String, List<TlsReport.PolicyResult>> day = tallies.day(DAY);
        assertThat(day).containsOnlyKeys("example.org");
        TlsReport.PolicyResult result = day.get("example.org").get(0);
        assertThat(result.policy()).isEqualTo(new TlsReport.Policy("sts", Outcomes.STS_POLICY, "example.org",
                List.of("*.mail.example.org")));
        assertThat(result.successes()).isEqualTo(5);
        assertThat(result.failures()).isEqualTo(3);
        assertThat(result.details()).containsExactly(
                new TlsReport.FailureDetail("certificate-expired", "192.0.2.1", "mx2.mail.example.org",
                        "198.51.100.7", 2, "expired 3 days ago"),
                new TlsReport.FailureDetail("certificate-host-mismatch", "192.0.2.1", "mx1.mail.example.org",
                        "198.51.100.7", 1, null));
    }

    @Test
    void policiesOfADomainAndDaysAreKeptApart() {
        DailyTallies tallies = new DailyTallies(TlsReportSettings.defaults());
        tallies.record(DAY, success("example.org", "mx1.mail.example.org"));
        tallies.record(DAY, noPolicy("example.org", "mx9.example.org", "starttls-not-supported"));
        tallies.record(DAY.plusDays(1), success("Example.ORG.", "mx1.mail.example.org"));

        assertThat(tallies.days()).containsExactly(DAY, DAY.plusDays(1));
        List<TlsReport.PolicyResult> first = tallies.day(DAY).get("example.org");
        assertThat(first).extracting(r -> r.policy().type()).containsExactly("sts", "no-policy-found");
        assertThat(first.get(1).policy().mxHosts()).isEmpty();
        assertThat(first.get(1).failures()).isEqualTo(1);
        assertThat(tallies.day(DAY.plusDays(1))).containsOnlyKeys("example.org"); // case and final dot folded

        tallies.remove(DAY);
        assertThat(tallies.days()).containsExactly(DAY.plusDays(1));
    }

    @Test
    void failuresPastTheDetailBoundAreInTheTotalsOnly() {
        DailyTallies tallies = new DailyTallies(TlsReportSettings.defaults().withLimits(10, 10, 2));
        for (int i = 0; i < 5; i++) {
            tallies.record(DAY, failure("example.org", "mx" + i + ".mail.example.org", "validation-failure", null));
        }
        TlsReport.PolicyResult result = tallies.day(DAY).get("example.org").get(0);
        assertThat(result.failures()).isEqualTo(5);
        assertThat(result.details()).extracting(TlsReport.FailureDetail::receivingMx)
                .containsExactly("mx0.mail.example.org", "mx1.mail.example.org");
    }

    @Test
    void domainsAndPoliciesPastTheirBoundsAreLeftOutAndCounted() {
        DailyTallies tallies = new DailyTallies(TlsReportSettings.defaults().withLimits(2, 1, 10));
        assertThat(tallies.record(DAY, success("a.example", "mx.a.example"))).isTrue();
        assertThat(tallies.record(DAY, success("b.example", "mx.b.example"))).isTrue();
        assertThat(tallies.record(DAY, success("c.example", "mx.c.example"))).isFalse();
        assertThat(tallies.record(DAY, noPolicy("a.example", "mx.a.example", "starttls-not-supported"))).isFalse();
        assertThat(tallies.record(DAY, success("a.example", "mx.a.example"))).isTrue(); // a known policy still counts

        assertThat(tallies.day(DAY)).containsOnlyKeys("a.example", "b.example");
        assertThat(tallies.day(DAY).get("a.example")).hasSize(1);
        assertThat(tallies.day(DAY).get("a.example").get(0).successes()).isEqualTo(2);
        assertThat(tallies.dropped(DAY)).isEqualTo(2);
    }

    @Test
    void hostileTextIsCutAndNonDomainsAreNotCounted() {
        DailyTallies tallies = new DailyTallies(TlsReportSettings.defaults());
        List<String> huge = Collections.nCopies(1000, "x".repeat(10_000));
        tallies.record(DAY, new TlsOutcome("example.org", TlsOutcome.PolicyType.TLSA, huge, "mx.example.org",
                "tlsa-invalid", null, "mx.example.org", null, "y".repeat(10_000)));
        assertThat(tallies.record(DAY, success("not a domain", "mx"))).isFalse();
        assertThat(tallies.record(DAY, success("", "mx"))).isFalse();

        TlsReport.PolicyResult result = tallies.day(DAY).get("example.org").get(0);
        assertThat(result.policy().strings()).hasSize(DailyTallies.MAX_POLICY_STRINGS)
                .allSatisfy(s -> assertThat(s).hasSize(DailyTallies.MAX_TEXT));
        assertThat(result.details().get(0).information()).hasSize(DailyTallies.MAX_TEXT);
        assertThat(tallies.day(DAY)).containsOnlyKeys("example.org");
    }
}
