package dev.tern.policy.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.policy.dmarc.DmarcRecord.Alignment;
import dev.tern.policy.dmarc.DmarcRecord.Policy;
import java.net.URI;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DmarcRecordTest {

    @Test
    void everyTagIsRead() {
        DmarcRecord r = DmarcRecord.parse("v=DMARC1; p=reject; sp=quarantine; adkim=s; aspf=s; pct=25; "
                + "rua=mailto:agg@example.com,mailto:more@example.net!10m; ruf=mailto:fail@example.com; "
                + "fo=1; rf=afrf; ri=3600").orElseThrow();

        assertThat(r.policy()).isEqualTo(Policy.REJECT);
        assertThat(r.subdomainPolicy()).isEqualTo(Policy.QUARANTINE);
        assertThat(r.dkimAlignment()).isEqualTo(Alignment.STRICT);
        assertThat(r.spfAlignment()).isEqualTo(Alignment.STRICT);
        assertThat(r.percent()).isEqualTo(25);
        assertThat(r.aggregateReports()).containsExactly(URI.create("mailto:agg@example.com"),
                URI.create("mailto:more@example.net"));
        assertThat(r.failureReports()).containsExactly(URI.create("mailto:fail@example.com"));
        assertThat(r.failureOptions()).isEqualTo("1");
        assertThat(r.reportInterval()).isEqualTo(3600);
    }

    @Test
    void defaultsApplyToAbsentOrBadOptionalTags() {
        DmarcRecord r = DmarcRecord.parse("v=DMARC1;p=Quarantine;adkim=x;pct=101;ri=soon;future=yes").orElseThrow();

        assertThat(r.policy()).isEqualTo(Policy.QUARANTINE);
        assertThat(r.subdomainPolicy()).isEqualTo(Policy.QUARANTINE);
        assertThat(r.dkimAlignment()).isEqualTo(Alignment.RELAXED);
        assertThat(r.spfAlignment()).isEqualTo(Alignment.RELAXED);
        assertThat(r.percent()).isEqualTo(100);
        assertThat(r.reportInterval()).isEqualTo(86_400);
        assertThat(r.failureOptions()).isEqualTo("0");
        assertThat(r.reportFormat()).isEqualTo("afrf");
    }

    @Test
    void versionMustComeFirstAndBeExactlyDmarc1() {
        assertThat(DmarcRecord.parse("p=reject; v=DMARC1")).isEmpty();
        assertThat(DmarcRecord.parse("v=DMARC2; p=reject")).isEmpty();
        assertThat(DmarcRecord.parse("v=dmarc1; p=reject")).isEmpty();
        assertThat(DmarcRecord.parse("v=spf1 -all")).isEmpty();
        assertThat(DmarcRecord.parse("v = DMARC1 ; p = reject")).map(DmarcRecord::policy).contains(Policy.REJECT);
        assertThat(DmarcRecord.isDmarc("v=DMARC1")).isTrue();
        assertThat(DmarcRecord.isDmarc("v=DMARC10; p=none")).isFalse();
    }

    @Test
    void withoutAValidPolicyARuaMakesItPNoneAndOtherwiseThereIsNoPolicy() {
        assertThat(DmarcRecord.parse("v=DMARC1; p=bogus; rua=mailto:r@example.com"))
                .map(DmarcRecord::policy).contains(Policy.NONE);
        assertThat(DmarcRecord.parse("v=DMARC1; rua=mailto:r@example.com"))
                .map(DmarcRecord::subdomainPolicy).contains(Policy.NONE);
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; sp=bogus; rua=mailto:r@example.com"))
                .map(DmarcRecord::policy).contains(Policy.NONE);
        assertThat(DmarcRecord.parse("v=DMARC1; p=bogus")).isEmpty();
        assertThat(DmarcRecord.parse("v=DMARC1")).isEmpty();
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; sp=bogus")).isEmpty();
    }

    @Test
    void pctZeroIsKept() {
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; pct=0")).map(DmarcRecord::percent).contains(0);
    }

    @Test
    void milderPolicyStepsDown() {
        assertThat(Policy.REJECT.milder()).isEqualTo(Policy.QUARANTINE);
        assertThat(Policy.QUARANTINE.milder()).isEqualTo(Policy.NONE);
        assertThat(Policy.NONE.milder()).isEqualTo(Policy.NONE);
    }

    @Property
    void anyTextParsesToNothingOrAWellFormedRecord(@ForAll String tail) {
        DmarcRecord.parse("v=DMARC1;" + tail).ifPresent(r -> {
            assertThat(r.percent()).isBetween(0, 100);
            assertThat(r.policy()).isNotNull();
            assertThat(r.subdomainPolicy()).isNotNull();
            assertThat(r.reportInterval()).isNotNegative();
        });
    }

    @Property
    void thePolicyTagIsFoundWhereverItIs(@ForAll("policies") String p, @ForAll boolean first) {
        String text = first ? "v=DMARC1; p=" + p + "; pct=50" : "v=DMARC1; pct=50; P=" + p;
        assertThat(DmarcRecord.parse(text)).map(r -> r.policy().keyword()).contains(p);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> policies() {
        return net.jqwik.api.Arbitraries.of("none", "quarantine", "reject");
    }
}
