package dev.tern.policy.dkim;

import dev.tern.dns.DnsResult;
import dev.tern.policy.dkim.DkimResult.Status;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/** Fetches and checks the key records for a signature (RFC 6376 §6.1.2), keeping DNS trouble apart from bad keys. */
final class KeyFetcher {

    /** What the lookup gave: usable keys, or the result that ends the signature's check. */
    sealed interface Outcome {
    }

    /** @param testing a usable record says {@code t=y} */
    record Keys(List<PublicKey> keys, boolean testing) implements Outcome {
    }

    record Failed(Status status, String reason) implements Outcome {
    }

    private final KeyLookup lookup;

    KeyFetcher(KeyLookup lookup) {
        this.lookup = lookup;
    }

    Outcome fetch(DkimSignature sig, DkimAlgorithm algorithm) {
        String name = sig.selector() + "._domainkey." + sig.domain();
        DnsResult<String> answer = lookup.txt(name);
        if (answer instanceof DnsResult.Temporary<String> t) {
            return new Failed(Status.TEMPERROR, "key lookup failed: " + t.reason()); // §6.1.2 step 3: TEMPFAIL
        }
        if (answer.records().isEmpty()) {
            return new Failed(Status.PERMERROR, "no key record at " + name);
        }
        List<PublicKey> keys = new ArrayList<>();
        boolean testing = false;
        Failed first = null;
        for (String text : answer.records()) {
            try {
                KeyRecord record = KeyRecord.parse(text);
                PublicKey key = check(record, sig, algorithm);
                keys.add(key);
                testing |= record.testing();
            } catch (KeyProblem problem) {
                first = first == null ? new Failed(problem.status, problem.getMessage()) : first;
            } catch (DkimFormatException e) {
                first = first == null ? new Failed(Status.PERMERROR, "bad key record: " + e.getMessage()) : first;
            }
        }
        return keys.isEmpty() ? first : new Keys(keys, testing);
    }

    private static PublicKey check(KeyRecord record, DkimSignature sig, DkimAlgorithm algorithm) throws KeyProblem {
        if (record.revoked()) {
            throw new KeyProblem(Status.PERMERROR, "key revoked (empty p=)"); // §3.6.1
        }
        if (record.algorithm().orElse(null) != algorithm) {
            throw new KeyProblem(Status.PERMERROR, "key type k=" + record.keyType() + " does not fit a="
                    + algorithm.tagValue());
        }
        if (!record.allowsSha256()) {
            throw new KeyProblem(Status.PERMERROR, "key record h= does not allow sha256");
        }
        if (!record.allowsEmail()) {
            throw new KeyProblem(Status.PERMERROR, "key record s= is not for email");
        }
        if (record.strict() && !sig.identityDomain().equals(sig.domain())) {
            throw new KeyProblem(Status.PERMERROR, "key has t=s but the i= domain is a subdomain of d=");
        }
        PublicKey key;
        try {
            key = DkimKeys.decodePublic(algorithm, record.publicKey());
        } catch (GeneralSecurityException e) {
            throw new KeyProblem(Status.PERMERROR, "bad key data: " + e.getMessage());
        }
        int bits = DkimKeys.rsaBits(key);
        if (algorithm == DkimAlgorithm.RSA_SHA256 && bits < DkimKeys.MIN_RSA_BITS) {
            throw new KeyProblem(Status.FAIL, "RSA key of " + bits + " bits, under 1024 (RFC 8301 §3.2)");
        }
        return key;
    }

    private static final class KeyProblem extends Exception {
        private final Status status;

        KeyProblem(Status status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
