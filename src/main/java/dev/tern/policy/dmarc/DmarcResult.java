package dev.tern.policy.dmarc;

/**
 * The DMARC evaluation of one message.
 *
 * @param outcome      pass, fail, none, temperror or permerror
 * @param fromDomain   the RFC5322.From domain (lower-case A-labels), or "" when there is none ({@code permerror})
 * @param record       the policy record used, or null when none was found
 * @param policyDomain the domain whose record was used, or ""
 * @param requested    the policy the domain owner asks for this message: {@code p}, or {@code sp} for a
 *                     subdomain covered by its Organizational Domain's record; {@code NONE} without a record
 * @param disposition  the policy to apply: {@code requested} for a failing message inside the {@code pct}
 *                     sample, one step milder outside it (RFC 7489 §6.6.4), {@code NONE} unless the outcome is fail
 * @param spfAligned   whether SPF passed for a domain aligned with the From domain
 * @param dkimAligned  whether a DKIM signature passed for a domain aligned with the From domain
 * @param detail       why, for the log
 */
public record DmarcResult(DmarcOutcome outcome, String fromDomain, DmarcRecord record, String policyDomain,
                          DmarcRecord.Policy requested, DmarcRecord.Policy disposition, boolean spfAligned,
                          boolean dkimAligned, String detail) {

    static DmarcResult without(DmarcOutcome outcome, String fromDomain, String detail) {
        return new DmarcResult(outcome, fromDomain, null, "", DmarcRecord.Policy.NONE, DmarcRecord.Policy.NONE,
                false, false, detail);
    }
}
