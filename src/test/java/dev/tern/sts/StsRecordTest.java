package dev.tern.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.dns.DnsResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code _mta-sts} TXT record (RFC 8461 §3.1). */
class StsRecordTest {

    private static StsRecord.Outcome of(String... records) {
        return StsRecord.of(new DnsResult.Answer<>(List.of(records), false));
    }

    @Test
    void theIdOfAValidRecord() {
        assertThat(StsRecord.id("v=STSv1; id=20160831085700Z;")).isEqualTo("20160831085700Z");
        assertThat(StsRecord.id("v=STSv1;id=abc")).isEqualTo("abc");
        assertThat(StsRecord.id("v=STSv1 ;\tid=abc ; ext.a-b_c=x:y")).isEqualTo("abc");
        assertThat(StsRecord.id("v=STSv1; id=" + "a".repeat(32))).hasSize(32);
    }

    @Test
    void recordsBreakingTheGrammarHaveNoId() {
        for (String bad : new String[] {"v=STSv1", "v=STSv1;", "v=STSv1; ext=1", "v=STSv1; id=a; id=b",
            "v=STSv1; id=" + "a".repeat(33), "v=STSv1; id=2024-01-01", "v=STSv1; id = abc", "v=STSv1;; id=abc",
            "v=STSv1; id=abc;;", "v=STSv1; id=abc; ext=a=b", "v=STSv1; id=abc; =x", "v=STSv1 id=abc",
            "v=stsv1; id=abc", "v=STSv1; ID=abc", "v=STSv1; id=abc\u00a0"}) {
            assertThat(StsRecord.id(bad)).as(bad).isNull();
        }
    }

    @Test
    void otherTxtRecordsAreSetAsideAndOneValidRecordIsTheOutcome() {
        assertThat(of("v=spf1 -all", "v=STSv1; id=abc", "v=STSv10; id=zzz")).isEqualTo(new StsRecord.Id("abc"));
        // Split into several character-strings, the resolver joins them (§3.1).
        assertThat(of("v=STSv1; " + "id=abc")).isEqualTo(new StsRecord.Id("abc"));
    }

    @Test
    void noneTwoOrAnInvalidOneMeanNoAvailablePolicy() {
        assertThat(of("v=spf1 -all")).isEqualTo(new StsRecord.Absent(null));
        assertThat(StsRecord.of(new DnsResult.NxDomain<>())).isEqualTo(new StsRecord.Absent(null));
        assertThat(StsRecord.of(new DnsResult.NoData<>())).isEqualTo(new StsRecord.Absent(null));
        assertThat(of("v=STSv1; id=a", "v=STSv1; id=b")).isInstanceOfSatisfying(StsRecord.Absent.class,
                a -> assertThat(a.problem()).startsWith("2 v=STSv1 records"));
        assertThat(of("v=STSv1; id=a-b")).isInstanceOfSatisfying(StsRecord.Absent.class,
                a -> assertThat(a.problem()).contains("invalid record"));
    }

    @Test
    void aDnsFailureIsUnknownNotAbsent() {
        assertThat(StsRecord.of(new DnsResult.Temporary<>("SERVFAIL"))).isEqualTo(new StsRecord.Unknown("SERVFAIL"));
    }
}
