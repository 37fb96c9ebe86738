package dev.tern.policy.dmarc;

import dev.tern.policy.Verdict;
import dev.tern.policy.spf.SpfChecker;
import dev.tern.policy.spf.SpfOutcome;
import dev.tern.policy.spf.SpfResult;
import java.util.List;

/**
 * What the operator wants done with mail that fails SPF or DMARC, and the decision at the end of DATA.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>DMARC fail whose disposition is reject (RFC 7489 §6.6.4, after the {@code pct} sample): with
 *       {@link DmarcReject#HONOUR}, {@code 550 5.7.1} (§6.7 asks for the rejection to happen during the SMTP
 *       transaction); {@link DmarcReject#QUARANTINE} treats it as a quarantine, {@link DmarcReject#TAG} only
 *       records it;</li>
 *   <li>DMARC fail whose disposition is quarantine: the Junk folder or a tag, per {@link DmarcQuarantine};</li>
 *   <li>DMARC permerror (no single From domain, see {@link AuthorDomain}): handled like a reject disposition;</li>
 *   <li>SPF fail with {@link SpfFail#REJECT}: {@code 550 5.7.23} (RFC 7372 §3.2), unless DMARC passed, because
 *       forwarded mail fails SPF yet may carry an aligned DKIM signature (RFC 7489 §10.1);</li>
 *   <li>any other failure (SPF fail or softfail, a failed signature, DMARC fail under {@code p=none}, temporary
 *       and permanent errors): {@link Action#TAG}; everything passed or was absent: {@link Action#ACCEPT}.</li>
 * </ol>
 * Every accepted message gets the Authentication-Results field; TAG only tells the log that something failed.
 */
public record AuthenticationPolicy(SpfFail spfFail, DmarcReject dmarcReject, DmarcQuarantine dmarcQuarantine) {

    public enum SpfFail { REJECT, TAG }

    public enum DmarcReject { HONOUR, QUARANTINE, TAG }

    public enum DmarcQuarantine { JUNK, TAG }

    /** What to do with the message. */
    public enum Action {
        /** Deliver; nothing failed. */
        ACCEPT,
        /** Deliver; a check failed and the Authentication-Results field says which. */
        TAG,
        /** Deliver to the recipient's Junk folder (Maildir {@code .Junk}). */
        JUNK,
        /** Refuse with {@link Decision#reply()}. */
        REJECT
    }

    /**
     * @param reply  the refusal for {@link Action#REJECT}, null otherwise
     * @param reason a few words for the log
     */
    public record Decision(Action action, Verdict reply, String reason) {
        static Decision of(Action action, String reason) {
            return new Decision(action, null, reason);
        }
    }

    /** tag SPF failures, honour DMARC reject, quarantine to Junk. */
    public static AuthenticationPolicy defaults() {
        return new AuthenticationPolicy(SpfFail.TAG, DmarcReject.HONOUR, DmarcQuarantine.JUNK);
    }

    /**
     * @param spf   the MAIL FROM check, or null when not checked
     * @param dkim  one result per signature
     * @param dmarc the DMARC evaluation, or null when not checked
     */
    public Decision decide(SpfResult spf, List<DkimSignatureResult> dkim, DmarcResult dmarc) {
        DmarcOutcome outcome = dmarc == null ? DmarcOutcome.NONE : dmarc.outcome();
        if (outcome == DmarcOutcome.FAIL && dmarc.disposition() == DmarcRecord.Policy.REJECT) {
            return rejectDisposition("DMARC policy reject of " + dmarc.policyDomain(),
                    "Message rejected by DMARC policy of " + dmarc.fromDomain());
        }
        if (outcome == DmarcOutcome.FAIL && dmarc.disposition() == DmarcRecord.Policy.QUARANTINE) {
            return quarantine("DMARC policy quarantine of " + dmarc.policyDomain());
        }
        if (outcome == DmarcOutcome.PERMERROR) {
            return rejectDisposition("DMARC permerror: " + dmarc.detail(),
                    "Message rejected: DMARC needs exactly one From domain (RFC 7489 §6.6.1)");
        }
        if (spf != null && spf.outcome() == SpfOutcome.FAIL && spfFail == SpfFail.REJECT
                && outcome != DmarcOutcome.PASS) {
            String text = spf.explanation().isEmpty() ? SpfChecker.DEFAULT_EXPLANATION : spf.explanation();
            return new Decision(Action.REJECT, Verdict.permanent(550, "5.7.23", text), "SPF fail for " + spf.domain());
        }
        String failed = failures(spf, dkim, outcome);
        return failed.isEmpty() ? Decision.of(Action.ACCEPT, "authentication passed or absent")
                : Decision.of(Action.TAG, failed);
    }

    private Decision rejectDisposition(String reason, String replyText) {
        return switch (dmarcReject) {
            case HONOUR -> new Decision(Action.REJECT, Verdict.permanent(550, "5.7.1", replyText), reason);
            case QUARANTINE -> quarantine(reason);
            case TAG -> Decision.of(Action.TAG, reason);
        };
    }

    private Decision quarantine(String reason) {
        return dmarcQuarantine == DmarcQuarantine.JUNK ? Decision.of(Action.JUNK, reason)
                : Decision.of(Action.TAG, reason);
    }

    private static String failures(SpfResult spf, List<DkimSignatureResult> dkim, DmarcOutcome dmarc) {
        List<String> failed = new java.util.ArrayList<>();
        if (spf != null && spf.outcome() != SpfOutcome.PASS && spf.outcome() != SpfOutcome.NONE
                && spf.outcome() != SpfOutcome.NEUTRAL) {
            failed.add("spf=" + spf.outcome().keyword());
        }
        dkim.stream().filter(d -> !d.passed() && !"none".equals(d.result())).findFirst().ifPresent(d -> failed.add("dkim=" + d.result()));
        if (dmarc != DmarcOutcome.PASS && dmarc != DmarcOutcome.NONE) {
            failed.add("dmarc=" + dmarc.keyword());
        }
        return String.join(" ", failed);
    }
}
