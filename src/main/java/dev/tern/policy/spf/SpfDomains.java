package dev.tern.policy.spf;

/** The domain checks of RFC 7208 §4.3: a queryable, multi-label name. */
final class SpfDomains {

    private SpfDomains() {}

    /**
     * False for a malformed domain: empty, an address literal, a label over 63 octets, an empty label (other than
     * a final dot), more than 253 characters, or a single label.
     */
    static boolean isValid(String domain) {
        if (domain == null || domain.isEmpty() || domain.startsWith("[")) {
            return false;
        }
        String name = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
        }
        return true;
    }
}
