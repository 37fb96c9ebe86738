package dev.tern.policy.dmarc;

import dev.tern.mail.Domain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Public Suffix List (https://publicsuffix.org/list/), used to find the Organizational Domain of RFC 7489
 * §3.2. Rules are kept in lower-case A-label form, so a U-label rule such as {@code 公司.cn} and a query for
 * {@code xn--55qx5d.cn} meet.
 *
 * <p>The matching algorithm is the one of publicsuffix.org/list: the default rule is {@code *}; among matching
 * rules an exception ({@code !www.ck}) prevails, otherwise the rule with the most labels; a wildcard
 * ({@code *.ck}) matches exactly one further label. Both the ICANN and the private sections are used, as
 * DMARC implementations do, unless the list is built with {@code includePrivate = false}. Immutable.
 */
public final class PublicSuffixList {

    /** The copy of the list bundled in the jar, with its MPL-2.0 header (see README.md beside it). */
    public static final String BUNDLED_RESOURCE = "public_suffix_list.dat";

    private static final String PRIVATE_BEGIN = "===BEGIN PRIVATE DOMAINS===";
    private static final String PRIVATE_END = "===END PRIVATE DOMAINS===";

    private final Set<String> rules;
    private final Set<String> wildcards;
    private final Set<String> exceptions;

    private PublicSuffixList(Set<String> rules, Set<String> wildcards, Set<String> exceptions) {
        this.rules = Set.copyOf(rules);
        this.wildcards = Set.copyOf(wildcards);
        this.exceptions = Set.copyOf(exceptions);
    }

    /** The list bundled with Tern. */
    public static PublicSuffixList bundled() {
        try (InputStream in = PublicSuffixList.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled public suffix list missing: " + BUNDLED_RESOURCE);
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A list file in the publicsuffix.org format (UTF-8), e.g. one kept up to date by the system. */
    public static PublicSuffixList load(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            PublicSuffixList list = parse(in, true);
            if (list.rules.isEmpty() && list.wildcards.isEmpty()) {
                throw new IOException(file + ": no public suffix rules found");
            }
            return list;
        }
    }

    /**
     * Parses the list format: one rule per line, the rule ending at the first white space, {@code //} comments.
     *
     * @param includePrivate whether rules of the PRIVATE DOMAINS section count
     */
    public static PublicSuffixList parse(Reader text, boolean includePrivate) throws IOException {
        Set<String> rules = new HashSet<>();
        Set<String> wildcards = new HashSet<>();
        Set<String> exceptions = new HashSet<>();
        BufferedReader lines = new BufferedReader(text);
        boolean inPrivate = false;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            String trimmed = line.strip();
            if (trimmed.startsWith("//")) {
                inPrivate = trimmed.contains(PRIVATE_BEGIN) || (inPrivate && !trimmed.contains(PRIVATE_END));
                continue;
            }
            if (trimmed.isEmpty() || (inPrivate && !includePrivate)) {
                continue;
            }
            String rule = trimmed.split("\\s", 2)[0];
            if (rule.startsWith("!")) {
                Domain.asciiKey(rule.substring(1)).ifPresent(exceptions::add);
            } else if (rule.startsWith("*.")) {
                Domain.asciiKey(rule.substring(2)).ifPresent(wildcards::add);
            } else {
                Domain.asciiKey(rule).ifPresent(rules::add);
            }
        }
        return new PublicSuffixList(rules, wildcards, exceptions);
    }

    /** A list from rule lines, for tests and small custom lists. */
    public static PublicSuffixList of(List<String> lines) {
        try {
            return parse(new java.io.StringReader(String.join("\n", lines)), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The public suffix of a domain (the longest suffix under which anyone may register names), or empty for a
     * name that is not a usable domain (empty label, leading dot).
     */
    public Optional<String> publicSuffix(String domain) {
        Optional<String[]> parsed = labels(domain);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        String[] labels = parsed.get();
        int n = suffixLabels(labels);
        return Optional.of(join(labels, labels.length - n));
    }

    /**
     * The registrable domain: the public suffix and one more label. Empty when the domain is itself a public
     * suffix (or not a usable name), as the publicsuffix.org tests expect.
     */
    public Optional<String> registrableDomain(String domain) {
        Optional<String[]> parsed = labels(domain);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        String[] labels = parsed.get();
        int n = suffixLabels(labels);
        return labels.length > n ? Optional.of(join(labels, labels.length - n - 1)) : Optional.empty();
    }

    /**
     * The Organizational Domain of RFC 7489 §3.2: the registrable domain; a domain that is itself a public
     * suffix is its own Organizational Domain (step 3 of §3.2 finds no further label to add). Lower-case
     * A-labels, without a trailing dot.
     */
    public String organizationalDomain(String domain) {
        return registrableDomain(domain).orElseGet(() -> normalize(domain));
    }

    /** How many labels, counted from the right, form the public suffix. */
    private int suffixLabels(String[] labels) {
        int longest = 1; // the default rule "*"
        for (int start = 0; start < labels.length; start++) {
            String suffix = join(labels, start);
            int count = labels.length - start;
            if (exceptions.contains(suffix)) {
                return count - 1; // an exception prevails: its suffix is the rule without its leftmost label
            }
            if (count > longest && rules.contains(suffix)) {
                longest = count;
            }
            if (start + 1 < labels.length && count > longest && wildcards.contains(join(labels, start + 1))) {
                longest = count;
            }
        }
        return longest;
    }

    private static Optional<String[]> labels(String domain) {
        if (domain == null) {
            return Optional.empty();
        }
        String name = normalize(domain);
        if (name.isEmpty() || name.startsWith(".") || name.contains("..")) {
            return Optional.empty();
        }
        return Optional.of(name.split("\\."));
    }

    /** Lower-case A-labels without the trailing dot of an absolute name. */
    static String normalize(String domain) {
        String name = domain.endsWith(".") && domain.length() > 1 ? domain.substring(0, domain.length() - 1) : domain;
        return Domain.asciiKey(name).orElse(name.toLowerCase(Locale.ROOT)); // IDNA2008, as mail.Domain keys
    }


    private static String join(String[] labels, int from) {
        return String.join(".", java.util.Arrays.asList(labels).subList(from, labels.length));
    }
}
