package dev.tern.policy.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.policy.dmarc.AuthenticationPolicy.Action;
import dev.tern.policy.dmarc.AuthenticationPolicy.Decision;
import dev.tern.policy.dmarc.AuthenticationPolicy.DmarcQuarantine;
import dev.tern.policy.dmarc.AuthenticationPolicy.DmarcReject;
import dev.tern.policy.dmarc.AuthenticationPolicy.SpfFail;
import dev.tern.policy.dmarc.DmarcRecord.Policy;
import dev.tern.policy.spf.SpfOutcome;
import dev.tern.policy.spf.SpfResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticationPolicyTest {

    private static final AuthenticationPolicy DEFAULTS = AuthenticationPolicy.defaults();
    private static final SpfResult SPF_PASS = new SpfResult(SpfOutcome.PASS, "example.com", "", "");
    private static final SpfResult SPF_FAIL = new SpfResult(SpfOutcome.FAIL, "example.com", "not from here", "");

    private static DmarcResult dmarc(DmarcOutcome outcome, Policy disposition) {
        DmarcRecord record = DmarcRecord.parse("v=DMARC1; p=reject").orElseThrow();
        return new DmarcResult(outcome, "news.example.com", record, "example.com", Policy.REJECT, disposition,
                false, false, "test");
    }

    @Test
    void honouredRejectGives550WithTheFromDomain() {
        Decision d = DEFAULTS.decide(SPF_FAIL, List.of(), dmarc(DmarcOutcome.FAIL, Policy.REJECT));

        assertThat(d.action()).isEqualTo(Action.REJECT);
        assertThat(d.reply().code()).isEqualTo(550);
        assertThat(d.reply().enhanced()).isEqualTo("5.7.1");
        assertThat(d.reply().text()).isEqualTo("Message rejected by DMARC policy of news.example.com");
    }

    @Test
    void rejectCanBeDowngradedToQuarantineOrTag() {
        DmarcResult fail = dmarc(DmarcOutcome.FAIL, Policy.REJECT);

        assertThat(new AuthenticationPolicy(SpfFail.TAG, DmarcReject.QUARANTINE, DmarcQuarantine.JUNK)
                .decide(null, List.of(), fail).action()).isEqualTo(Action.JUNK);
        assertThat(new AuthenticationPolicy(SpfFail.TAG, DmarcReject.QUARANTINE, DmarcQuarantine.TAG)
                .decide(null, List.of(), fail).action()).isEqualTo(Action.TAG);
        assertThat(new AuthenticationPolicy(SpfFail.TAG, DmarcReject.TAG, DmarcQuarantine.JUNK)
                .decide(null, List.of(), fail).action()).isEqualTo(Action.TAG);
    }

    @Test
    void quarantineGoesToJunkOrIsTagged() {
        DmarcResult quarantine = dmarc(DmarcOutcome.FAIL, Policy.QUARANTINE);

        assertThat(DEFAULTS.decide(null, List.of(), quarantine).action()).isEqualTo(Action.JUNK);
        assertThat(new AuthenticationPolicy(SpfFail.TAG, DmarcReject.HONOUR, DmarcQuarantine.TAG)
                .decide(null, List.of(), quarantine).action()).isEqualTo(Action.TAG);
    }

    @Test
    void failureUnderPNoneIsOnlyTagged() {
        assertThat(DEFAULTS.decide(SPF_FAIL, List.of(), dmarc(DmarcOutcome.FAIL, Policy.NONE)).action())
                .isEqualTo(Action.TAG);
    }

    @Test
    void permerrorIsTreatedLikeAReject() {
        DmarcResult permerror = DmarcResult.without(DmarcOutcome.PERMERROR, "", "no From header field");

        Decision d = DEFAULTS.decide(null, List.of(), permerror);

        assertThat(d.action()).isEqualTo(Action.REJECT);
        assertThat(d.reply().text()).contains("exactly one From domain");
        assertThat(new AuthenticationPolicy(SpfFail.TAG, DmarcReject.TAG, DmarcQuarantine.JUNK)
                .decide(null, List.of(), permerror).action()).isEqualTo(Action.TAG);
    }

    @Test
    void spfFailIsRejectedOnlyWhenAskedAndNotWhenDmarcPassed() {
        AuthenticationPolicy strict = new AuthenticationPolicy(SpfFail.REJECT, DmarcReject.HONOUR, DmarcQuarantine.JUNK);
        DmarcResult none = DmarcResult.without(DmarcOutcome.NONE, "example.com", "no record");

        Decision rejected = strict.decide(SPF_FAIL, List.of(), none);

        assertThat(rejected.action()).isEqualTo(Action.REJECT);
        assertThat(rejected.reply().enhanced()).isEqualTo("5.7.23");
        assertThat(rejected.reply().text()).isEqualTo("not from here");
        assertThat(strict.decide(SPF_FAIL, List.of(), dmarc(DmarcOutcome.PASS, Policy.NONE)).action())
                .isEqualTo(Action.TAG);
        assertThat(DEFAULTS.decide(SPF_FAIL, List.of(), none).action()).isEqualTo(Action.TAG);
    }

    @Test
    void everythingPassingOrAbsentIsAccepted() {
        DkimSignatureResult pass = new DkimSignatureResult("example.com", "s", "pass", false);
        DkimSignatureResult fail = new DkimSignatureResult("example.com", "s", "fail", false);

        assertThat(DEFAULTS.decide(SPF_PASS, List.of(pass), dmarc(DmarcOutcome.PASS, Policy.NONE)).action())
                .isEqualTo(Action.ACCEPT);
        assertThat(DEFAULTS.decide(null, List.of(), null).action()).isEqualTo(Action.ACCEPT);
        assertThat(DEFAULTS.decide(SPF_PASS, List.of(pass, fail), dmarc(DmarcOutcome.PASS, Policy.NONE)))
                .satisfies(d -> assertThat(d.action()).isEqualTo(Action.TAG))
                .satisfies(d -> assertThat(d.reason()).isEqualTo("dkim=fail"));
        assertThat(DEFAULTS.decide(SPF_PASS, List.of(), DmarcResult.without(DmarcOutcome.TEMPERROR, "x", "dns"))
                .action()).isEqualTo(Action.TAG);
    }
}
