package dev.tern.policy.rules;

/**
 * Glob matching where {@code *} stands for any run of characters (also none, also dots), like Stalwart's and
 * Exim's wildcard lists; every other character stands for itself. Callers give both sides in lower case.
 */
final class Glob {

    private Glob() {
    }

    /** Greedy matching with one backtrack point: linear for most patterns, at worst pattern x text steps. */
    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume; // let the last * swallow one more character
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
