package dev.tern.policy.dkim;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A DKIM public key record from DNS (RFC 6376 §3.6.1).
 *
 * @param keyType      {@code k=}, "rsa" by default
 * @param publicKey    {@code p=} with white space removed; empty means the key was revoked
 * @param hashes       {@code h=}, empty when absent (any hash allowed)
 * @param services     {@code s=}, "*" by default
 * @param testing      {@code t=y}: the domain is testing DKIM; results must not be trusted (§3.6.1)
 * @param strict       {@code t=s}: the {@code i=} domain must be exactly {@code d=}, not a subdomain
 */
record KeyRecord(String keyType, String publicKey, List<String> hashes, List<String> services, boolean testing,
        boolean strict) {

    static KeyRecord parse(String text) throws DkimFormatException {
        Map<String, String> tags = TagList.parse(text);
        String version = tags.get("v");
        if (version != null && (!version.equals("DKIM1") || !tags.keySet().iterator().next().equals("v"))) {
            throw new DkimFormatException("key record v= must be DKIM1 and come first");
        }
        String p = tags.get("p");
        if (p == null) {
            throw new DkimFormatException("key record without p=");
        }
        List<String> flags = list(tags.get("t"));
        return new KeyRecord(tags.getOrDefault("k", "rsa"), TagList.withoutWhitespace(p), list(tags.get("h")),
                tags.containsKey("s") ? list(tags.get("s")) : List.of("*"), flags.contains("y"), flags.contains("s"));
    }

    boolean revoked() {
        return publicKey.isEmpty();
    }

    /** The algorithm this record's key serves, if its {@code k=} is one we know. */
    Optional<DkimAlgorithm> algorithm() {
        return DkimAlgorithm.fromKeyType(keyType);
    }

    /** {@code h=} lists the hashes the key may be used with; SHA-256 is the only one we use. */
    boolean allowsSha256() {
        return hashes.isEmpty() || hashes.contains("sha256");
    }

    /** {@code s=}: "email" or "*" (§3.6.1); a key for other services must not verify mail. */
    boolean allowsEmail() {
        return services.contains("*") || services.contains("email");
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(":")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
