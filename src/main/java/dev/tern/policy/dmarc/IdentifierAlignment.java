package dev.tern.policy.dmarc;

/**
 * Identifier alignment (RFC 7489 §3.1): whether a domain authenticated by SPF or DKIM matches the RFC5322.From
 * domain. Strict mode needs the same name; relaxed mode the same Organizational Domain (§3.2). Names are
 * compared as lower-case A-labels.
 */
public final class IdentifierAlignment {

    private final PublicSuffixList suffixes;

    public IdentifierAlignment(PublicSuffixList suffixes) {
        this.suffixes = suffixes;
    }

    /**
     * @param authenticated the SPF-authenticated domain (§3.1.2) or the DKIM {@code d=} (§3.1.1)
     * @param from          the RFC5322.From domain
     */
    public boolean aligned(DmarcRecord.Alignment mode, String authenticated, String from) {
        if (authenticated == null || authenticated.isEmpty() || from == null || from.isEmpty()) {
            return false;
        }
        String a = PublicSuffixList.normalize(authenticated);
        String f = PublicSuffixList.normalize(from);
        if (mode == DmarcRecord.Alignment.STRICT) {
            return a.equals(f);
        }
        return suffixes.organizationalDomain(a).equals(suffixes.organizationalDomain(f));
    }

    public PublicSuffixList suffixes() {
        return suffixes;
    }
}
