package dev.tern.policy.dkim;

import dev.tern.mail.header.HeaderField;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The header data a signature covers (RFC 6376 §3.7, §5.4.2), the same for signer and verifier. */
final class HeaderHash {

    private HeaderHash() {
    }

    /**
     * The selected fields, canonicalized, each with its CRLF, then the DKIM-Signature field with an empty
     * {@code b=} and without a final CRLF.
     *
     * <p>§5.4.2: each name in {@code h=} takes the last instance of that field not taken yet, from the bottom up; a
     * name with no instance left adds nothing, which is what makes over-signing block added fields.
     */
    static byte[] data(List<HeaderField> fields, List<String> signedNames, Canonicalization canon,
            HeaderField signatureWithoutB) {
        Map<String, List<HeaderField>> byName = new HashMap<>();
        for (HeaderField f : fields) {
            byName.computeIfAbsent(DkimFields.lowerName(f), k -> new ArrayList<>()).add(f);
        }
        Map<String, Integer> taken = new HashMap<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        for (String name : signedNames) {
            String key = name.toLowerCase(Locale.ROOT);
            List<HeaderField> instances = byName.getOrDefault(key, List.of());
            int used = taken.merge(key, 1, Integer::sum);
            if (used <= instances.size()) {
                canon.header(instances.get(instances.size() - used), out, true);
            }
        }
        canon.header(signatureWithoutB, out, false);
        return out.toByteArray();
    }
}
