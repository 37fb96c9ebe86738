package dev.tern.policy.dkim;

import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import dev.tern.policy.dkim.DkimResult.Status;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies every DKIM-Signature of a message (RFC 6376 §6) and gives one {@link DkimResult} per signature, top
 * first. The header block is read into memory, the body streamed once through the body hashes all signatures
 * need. Keys are fetched before the body is read, one lookup per signature.
 */
public final class DkimVerifier {

    /** RFC 6376 §8.4 lets verifiers bound their work; signatures past this many are reported, not checked. */
    public static final int DEFAULT_MAX_SIGNATURES = 10;

    private final KeyFetcher keys;
    private final Clock clock;
    private final int maxSignatures;

    public DkimVerifier(KeyLookup lookup, Clock clock, int maxSignatures) {
        this.keys = new KeyFetcher(Objects.requireNonNull(lookup, "lookup"));
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxSignatures < 1) {
            throw new IllegalArgumentException("maxSignatures must be at least 1");
        }
        this.maxSignatures = maxSignatures;
    }

    public DkimVerifier(KeyLookup lookup, Clock clock) {
        this(lookup, clock, DEFAULT_MAX_SIGNATURES);
    }

    /** One result per DKIM-Signature field, in message order; empty when the message is unsigned ("none"). */
    public List<DkimResult> verify(InputStream message) throws IOException {
        InputStream in = new BufferedInputStream(message, 65536);
        return verify(HeaderBlock.read(in).fields(), in);
    }

    /**
     * The same for a message whose header block the caller has read already ({@link HeaderBlock#read}):
     * {@code rest} is the rest of the message, from the first octet after the empty line.
     */
    public List<DkimResult> verify(List<HeaderField> fields, InputStream rest) throws IOException {
        InputStream in = rest;
        List<Check> checks = new ArrayList<>();
        int seen = 0;
        for (HeaderField field : fields) {
            if (field.is(DkimSignature.FIELD)) {
                checks.add(++seen > maxSignatures
                        ? Check.done(DkimResult.unparsed(Status.POLICY, "not checked: more than " + maxSignatures
                                + " signatures"))
                        : prepare(field));
            }
        }
        Map<String, BodyHasher> bodies = bodyHashers(checks);
        byte[] buffer = new byte[65536];
        for (int n; !bodies.isEmpty() && (n = in.read(buffer)) != -1; ) {
            for (BodyHasher body : bodies.values()) {
                body.update(buffer, 0, n);
            }
        }
        List<DkimResult> results = new ArrayList<>(checks.size());
        for (Check check : checks) {
            results.add(check.result != null ? check.result : finish(check, fields, bodies.get(check.bodyKey())));
        }
        return results;
    }

    /** Parses the signature and fetches its key; a result now if either ends the check. */
    private Check prepare(HeaderField field) {
        DkimSignature sig;
        try {
            sig = DkimSignature.parse(field);
        } catch (DkimFormatException e) {
            return Check.done(DkimResult.unparsed(Status.NEUTRAL, e.getMessage()));
        }
        if (sig.algorithm().isEmpty()) {
            return sig.algorithmName().equals("rsa-sha1")
                    ? Check.done(DkimResult.of(Status.POLICY, "rsa-sha1 is not accepted (RFC 8301 §3.1)", sig, false, false))
                    : Check.done(DkimResult.of(Status.NEUTRAL, "unknown algorithm a=" + sig.algorithmName(), sig, false, false));
        }
        if (sig.expiry().isPresent() && sig.expiry().getAsLong() < clock.instant().getEpochSecond()) {
            return Check.done(DkimResult.of(Status.FAIL, "signature expired (x=)", sig, false, false));
        }
        KeyFetcher.Outcome outcome = keys.fetch(sig, sig.algorithm().get());
        if (outcome instanceof KeyFetcher.Failed failed) {
            return Check.done(DkimResult.of(failed.status(), failed.reason(), sig, false, false));
        }
        return new Check(sig, (KeyFetcher.Keys) outcome, null);
    }

    private static Map<String, BodyHasher> bodyHashers(List<Check> checks) {
        Map<String, BodyHasher> bodies = new HashMap<>();
        for (Check check : checks) {
            if (check.result == null) {
                bodies.computeIfAbsent(check.bodyKey(), k -> new BodyHasher(check.sig.bodyCanon(),
                        check.sig.length().orElse(-1)));
            }
        }
        return bodies;
    }

    private static DkimResult finish(Check check, List<HeaderField> fields, BodyHasher body) {
        DkimSignature sig = check.sig;
        boolean testing = check.keys.testing();
        byte[] hash = body.hash();
        long length = body.canonicalLength();
        if (sig.length().isPresent() && sig.length().getAsLong() > length) {
            return DkimResult.of(Status.FAIL, "l= is longer than the body", sig, testing, false);
        }
        boolean unsigned = sig.length().isPresent() && length > sig.length().getAsLong();
        if (!MessageDigest.isEqual(hash, sig.bodyHash())) {
            return DkimResult.of(Status.FAIL, "body hash mismatch", sig, testing, unsigned);
        }
        byte[] data = HeaderHash.data(fields, sig.signedFields(), sig.headerCanon(), sig.withoutSignatureValue());
        for (PublicKey key : check.keys.keys()) {
            try {
                if (sig.algorithm().orElseThrow().verify(key, data, sig.signature())) {
                    return DkimResult.of(Status.PASS, "", sig, testing, unsigned);
                }
            } catch (GeneralSecurityException e) {
                // a malformed signature value verifies against no key
            }
        }
        return DkimResult.of(Status.FAIL, "signature did not verify", sig, testing, unsigned);
    }

    /** One signature on its way: either a result already, or a parsed signature with its keys. */
    private record Check(DkimSignature sig, KeyFetcher.Keys keys, DkimResult result) {
        static Check done(DkimResult result) {
            return new Check(null, null, result);
        }

        String bodyKey() {
            return sig.bodyCanon() + "/" + sig.length().orElse(-1);
        }
    }
}
