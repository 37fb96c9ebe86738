package dev.tern.policy.mailauth;

import dev.tern.config.MailAuthSettings;
import dev.tern.config.DkimSettings;
import dev.tern.dns.DnsResolver;
import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import dev.tern.policy.dkim.DkimResult;
import dev.tern.policy.dkim.DkimVerifier;
import dev.tern.policy.dkim.KeyLookup;
import dev.tern.policy.dmarc.AuthenticationPolicy;
import dev.tern.policy.dmarc.AuthorDomain;
import dev.tern.policy.dmarc.DkimSignatureResult;
import dev.tern.policy.dmarc.DmarcChecker;
import dev.tern.policy.dmarc.MessageAuthentication;
import dev.tern.policy.dmarc.PublicSuffixList;
import dev.tern.policy.spf.SpfChecker;
import dev.tern.policy.spf.SpfOutcome;
import dev.tern.policy.spf.SpfResult;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * SPF, DKIM and DMARC for a message received from the world, at the end of DATA.
 *
 * <p>Work per message, in two steps. {@link #start} (when DATA begins) sends the SPF check (RFC 7208) off on a
 * virtual thread: it needs only the client address, MAIL FROM and HELO, so it runs while the message arrives.
 * {@link #finish} (once the message is in the spool) reads the message once: the header block first (into memory
 * once, parsed in place for DMARC and for DKIM; its size is bounded on arrival by {@code max_header_size}), which
 * gives the names of the DKIM key records and of the From domain's DMARC record, and those lookups start at
 * once, side by side; then every DKIM signature is verified (RFC 6376 §6) while its key arrives, SPF is
 * joined, and DMARC (RFC 7489) decides with the SPF result and the DKIM results. No lock is held anywhere.
 *
 * <p>Temporary DNS trouble is never a reason to refuse: SPF, DKIM and DMARC report {@code temperror} and the
 * policy ({@link AuthenticationPolicy}) only refuses for fail and permerror results. Thread-safe; one instance
 * serves every session.
 */
public final class InboundChecks {

    /** A bound on the wait for SPF (its ten lookups each have the resolver's own timeout, RFC 7208 §4.6.4). */
    static final Duration SPF_WAIT = Duration.ofSeconds(60);

    private final DnsResolver dns;
    private final SpfChecker spf;
    private final PublicSuffixList suffixes;
    private final AuthenticationPolicy policy;
    private final String authservId;
    private final Clock clock;
    private final boolean verifyDkim;
    private final int maxSignatures;
    private final boolean checkLoopback;

    /**
     * @param dns           the DNS gateway, for DKIM keys and DMARC records
     * @param spf           the SPF checker (with its own resolver, usually the same one)
     * @param authservId    the name in our Authentication-Results fields (RFC 8601 §2.5)
     * @param verifyDkim    whether to verify DKIM signatures at all; without, DMARC relies on SPF alone
     * @param maxSignatures signatures verified per message (RFC 6376 §8.4)
     */
    public InboundChecks(DnsResolver dns, SpfChecker spf, PublicSuffixList suffixes, AuthenticationPolicy policy,
                         String authservId, Clock clock, boolean verifyDkim, int maxSignatures) {
        this(dns, spf, suffixes, policy, authservId, clock, verifyDkim, maxSignatures, true);
    }

    /** @param checkLoopback whether mail from loopback clients (the local machine's programs) is checked */
    public InboundChecks(DnsResolver dns, SpfChecker spf, PublicSuffixList suffixes, AuthenticationPolicy policy,
                         String authservId, Clock clock, boolean verifyDkim, int maxSignatures,
                         boolean checkLoopback) {
        this.checkLoopback = checkLoopback;
        this.dns = Objects.requireNonNull(dns, "dns");
        this.spf = Objects.requireNonNull(spf, "spf");
        this.suffixes = Objects.requireNonNull(suffixes, "suffixes");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.authservId = Objects.requireNonNull(authservId, "authservId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.verifyDkim = verifyDkim;
        this.maxSignatures = maxSignatures;
    }

    /** The checks as {@code [mailauth]}, {@code [dmarc]} and {@code [dkim]} configure them. */
    public static InboundChecks configured(MailAuthSettings auth, DkimSettings dkim, String hostname,
                                           DnsResolver dns, Clock clock) throws IOException {
        Path list = auth.publicSuffixList();
        PublicSuffixList suffixes = list == null ? PublicSuffixList.bundled() : PublicSuffixList.load(list);
        AuthenticationPolicy policy = new AuthenticationPolicy(
                AuthenticationPolicy.SpfFail.valueOf(auth.spfFail().name()),
                AuthenticationPolicy.DmarcReject.valueOf(auth.dmarcReject().name()),
                AuthenticationPolicy.DmarcQuarantine.valueOf(auth.dmarcQuarantine().name()));
        SpfChecker spf = new SpfChecker(dns, hostname, SpfChecker.DEFAULT_EXPLANATION, clock);
        return new InboundChecks(dns, spf, suffixes, policy, auth.authservId(hostname), clock, dkim.verify(),
                dkim.maxSignatures(), auth.checkLoopback());
    }

    /** Whether a client is checked at all: loopback clients only when configured so. */
    public boolean appliesTo(boolean loopbackClient) {
        return checkLoopback || !loopbackClient;
    }

    public String authservId() {
        return authservId;
    }

    /**
     * Starts the SPF check of the MAIL FROM identity (RFC 7208 §2.4; the HELO identity for a null reverse-path).
     *
     * @param mailFrom the reverse-path without angle brackets, "" for the null reverse-path
     */
    public Pending start(InetAddress client, String mailFrom, String helo) {
        CompletableFuture<SpfResult> result = CompletableFuture.supplyAsync(
                () -> spf.checkMailFrom(client, mailFrom, helo), PrefetchingDns.VIRTUAL);
        return new Pending(mailFrom, helo, result);
    }

    /** The checks of one message under way. */
    public static final class Pending {
        private final String mailFrom;
        private final String helo;
        private final CompletableFuture<SpfResult> spf;

        private Pending(String mailFrom, String helo, CompletableFuture<SpfResult> spf) {
            this.mailFrom = mailFrom;
            this.helo = helo;
            this.spf = spf;
        }

        /** The message will not be checked (refused, aborted): the SPF result is not wanted. */
        public void cancel() {
            spf.cancel(true);
        }

        SpfResult spf() {
            try {
                return spf.get(SPF_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return temporary("interrupted");
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                spf.cancel(true);
                return temporary(e instanceof TimeoutException ? "no result within " + SPF_WAIT.toSeconds() + "s"
                        : "check failed: " + e.getMessage());
            }
        }

        private SpfResult temporary(String why) {
            int at = mailFrom.lastIndexOf('@');
            String domain = mailFrom.isEmpty() ? helo : mailFrom.substring(at + 1);
            return new SpfResult(SpfOutcome.TEMPERROR, domain, "", why);
        }
    }

    /**
     * Checks the message and decides. Reads {@code message} once, from its first octet (offsets of
     * {@link InboundResult#forged()} count from there).
     *
     * @throws IOException when the message cannot be read
     */
    public InboundResult finish(Pending pending, InputStream message) throws IOException {
        InputStream in = new BufferedInputStream(message, 65536);
        return finish(pending, HeaderBlock.read(in), in);
    }

    /**
     * The same for a message whose header block the caller has read already ({@link HeaderBlock#read}, from the
     * message's first octet), so the session reads a header once for every question it asks of it.
     *
     * @param header the header block, lines ending in CRLF
     * @param in     the message after its header block, buffered
     */
    public InboundResult finish(Pending pending, HeaderBlock header, InputStream in) throws IOException {
        List<HeaderField> fields = header.as(HeaderBlock.LineEnds.LF).namedFields();
        PrefetchingDns lookups = new PrefetchingDns(dns);
        if (verifyDkim) {
            DkimTags.keyNames(fields, maxSignatures).forEach(lookups::prefetchTxt);
        }
        if (AuthorDomain.of(fields) instanceof AuthorDomain.Found from) {
            lookups.prefetchTxt("_dmarc." + from.domain()); // RFC 7489 §6.6.3 step 1
        }
        List<DkimResult> dkim = List.of();
        if (verifyDkim) {
            DkimVerifier verifier = new DkimVerifier(KeyLookup.dns(lookups), clock, maxSignatures);
            dkim = verifier.verify(header.fields(), in);
        }
        SpfResult spfResult = pending.spf();
        MessageAuthentication dmarc = new MessageAuthentication(new DmarcChecker(lookups, suffixes), policy,
                authservId);
        MessageAuthentication.Outcome outcome = dmarc.check(fields, spfResult, pending.mailFrom, pending.helo,
                forDmarc(dkim));
        return new InboundResult(spfResult, dkim, outcome);
    }

    /**
     * The DKIM results in DMARC's terms. A pass whose signature covers only part of the body ({@code l=}) with
     * more after it is reported as {@code policy}: anyone could have added that part (RFC 6376 §8.2), so DMARC
     * must not rely on it ({@link DkimResult#trusted()}). A key in testing mode is passed on as such.
     */
    static List<DkimSignatureResult> forDmarc(List<DkimResult> results) {
        List<DkimSignatureResult> out = new ArrayList<>(results.size());
        for (DkimResult r : results) {
            String result = r.passed() && r.unsignedContent() ? "policy" : r.status().keyword();
            out.add(new DkimSignatureResult(r.domain(), r.selector(), result, r.testing(), r.signaturePrefix()));
        }
        return out;
    }
}
