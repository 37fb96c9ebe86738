package dev.tern.policy.dmarc;

import dev.tern.dns.DnsResolver;
import dev.tern.policy.spf.SpfOutcome;
import dev.tern.policy.spf.SpfResult;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * DMARC evaluation of a received message (RFC 7489 §6.6): the From domain from the header block, policy
 * discovery, identifier alignment of the SPF and DKIM results, and the {@code pct} sample.
 *
 * <p>Choices where the RFC leaves room:
 * <ul>
 *   <li>a DKIM signature whose key says {@code t=y} does not count towards a pass: RFC 6376 §3.6.1 asks
 *       verifiers to treat mail from signers in testing mode like unsigned mail;</li>
 *   <li>when nothing aligned passed but an aligned SPF or DKIM check failed temporarily, the result is
 *       {@code temperror} rather than {@code fail}, so that a DNS hiccup never turns into a rejection.</li>
 * </ul>
 *
 * <p>Thread-safe if the random generator is (the default, {@link java.util.concurrent.ThreadLocalRandom}, is used
 * through {@code current()} at each draw).
 */
public final class DmarcChecker {

    private final PolicyDiscovery discovery;
    private final IdentifierAlignment alignment;
    private final RandomGenerator random;

    /** @param random draws the {@code pct} sample; null for {@link java.util.concurrent.ThreadLocalRandom} */
    public DmarcChecker(DnsResolver dns, PublicSuffixList suffixes, RandomGenerator random) {
        this.discovery = new PolicyDiscovery(dns, suffixes);
        this.alignment = new IdentifierAlignment(suffixes);
        this.random = random;
    }

    public DmarcChecker(DnsResolver dns, PublicSuffixList suffixes) {
        this(dns, suffixes, null);
    }

    /**
     * Evaluates a message given its header block (the message's first octets up to the empty line; more is
     * ignored).
     *
     * @param spf  the MAIL FROM check (its {@code domain()} is the SPF-authenticated identity, the HELO name for
     *             a null reverse-path, RFC 7489 §3.1.2); null when SPF was not checked
     * @param dkim one result per DKIM-Signature field, in any order
     */
    public DmarcResult check(byte[] headerBlock, SpfResult spf, List<DkimSignatureResult> dkim) {
        return check(AuthorDomain.of(headerBlock), spf, dkim);
    }

    public DmarcResult check(AuthorDomain author, SpfResult spf, List<DkimSignatureResult> dkim) {
        if (author instanceof AuthorDomain.Invalid invalid) {
            return DmarcResult.without(DmarcOutcome.PERMERROR, "", invalid.reason());
        }
        String from = ((AuthorDomain.Found) author).domain();
        return switch (discovery.discover(from)) {
            case PolicyDiscovery.TempError t -> DmarcResult.without(DmarcOutcome.TEMPERROR, from, t.reason());
            case PolicyDiscovery.NoPolicy n -> DmarcResult.without(DmarcOutcome.NONE, from, n.reason());
            case PolicyDiscovery.Found found -> evaluate(from, found, spf, dkim);
        };
    }

    private DmarcResult evaluate(String from, PolicyDiscovery.Found found, SpfResult spf,
                                 List<DkimSignatureResult> dkim) {
        DmarcRecord record = found.record();
        boolean spfDomainAligned = spf != null && alignment.aligned(record.spfAlignment(), spf.domain(), from);
        boolean spfAligned = spfDomainAligned && spf.outcome() == SpfOutcome.PASS;
        boolean dkimAligned = dkim.stream().anyMatch(d -> d.passed() && !d.testing()
                && alignment.aligned(record.dkimAlignment(), d.domain(), from));
        DmarcRecord.Policy requested = found.organizational() ? record.subdomainPolicy() : record.policy();
        if (spfAligned || dkimAligned) {
            return new DmarcResult(DmarcOutcome.PASS, from, record, found.policyDomain(), requested,
                    DmarcRecord.Policy.NONE, spfAligned, dkimAligned,
                    "aligned " + (spfAligned ? "SPF" : "DKIM") + " pass");
        }
        boolean temporary = (spfDomainAligned && spf.outcome() == SpfOutcome.TEMPERROR)
                || dkim.stream().anyMatch(d -> "temperror".equals(d.result())
                        && alignment.aligned(record.dkimAlignment(), d.domain(), from));
        if (temporary) {
            return new DmarcResult(DmarcOutcome.TEMPERROR, from, record, found.policyDomain(), requested,
                    DmarcRecord.Policy.NONE, false, false, "aligned SPF or DKIM check failed temporarily");
        }
        DmarcRecord.Policy disposition = sampled(requested, record.percent());
        return new DmarcResult(DmarcOutcome.FAIL, from, record, found.policyDomain(), requested, disposition,
                false, false, "no aligned SPF or DKIM pass" + (disposition == requested ? ""
                        : "; outside the pct=" + record.percent() + " sample"));
    }

    /** RFC 7489 §6.6.4: the policy applies to pct% of failing mail; the rest gets the next milder policy. */
    private DmarcRecord.Policy sampled(DmarcRecord.Policy requested, int percent) {
        if (requested == DmarcRecord.Policy.NONE || percent >= 100) {
            return requested;
        }
        RandomGenerator draw = random != null ? random : java.util.concurrent.ThreadLocalRandom.current();
        return draw.nextInt(100) < percent ? requested : requested.milder();
    }
}
