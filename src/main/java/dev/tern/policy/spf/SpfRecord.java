package dev.tern.policy.spf;

import dev.tern.dns.Addresses;
import dev.tern.mail.IpNetwork;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed SPF record (RFC 7208 §4.6, ABNF in §12). The whole record is parsed before any of it is evaluated, so
 * that a syntax error anywhere gives permerror (§4.6).
 *
 * @param directives the mechanisms with their qualifiers, in order
 * @param redirect the {@code redirect=} domain-spec, or null
 * @param explanation the {@code exp=} domain-spec, or null
 */
record SpfRecord(List<Directive> directives, MacroString redirect, MacroString explanation) {

    /** A qualifier and a mechanism; {@code text} is the term as written, for the log. */
    record Directive(SpfOutcome onMatch, Mechanism mechanism, String text) {}

    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9_.-]*)=(.*)", Pattern.DOTALL);
    private static final Pattern MECHANISM = Pattern.compile("([A-Za-z][A-Za-z0-9]*)(.*)", Pattern.DOTALL);
    private static final Pattern DUAL_CIDR =
            Pattern.compile("(?::(.*?))?(?:/(0|[1-9][0-9]{0,2}))?(?://(0|[1-9][0-9]{0,2}))?", Pattern.DOTALL);
    private static final Pattern NETWORK = Pattern.compile(":([^/]*)(?:/(0|[1-9][0-9]{0,2}))?", Pattern.DOTALL);
    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    /** True when the text starts with the version section "v=spf1" ended by a space or the end (§4.5). */
    static boolean isSpf(String text) {
        return text.regionMatches(true, 0, "v=spf1", 0, 6) && (text.length() == 6 || text.charAt(6) == ' ');
    }

    static SpfRecord parse(String text) throws SpfException {
        if (!isSpf(text)) {
            throw SpfException.perm("not an SPF record");
        }
        List<Directive> directives = new ArrayList<>();
        MacroString redirect = null;
        MacroString explanation = null;
        // §4.6.1: terms are separated by one or more SP characters, nothing else.
        for (String term : text.substring(6).split(" ")) {
            if (term.isEmpty()) {
                continue;
            }
            Matcher modifier = MODIFIER.matcher(term);
            if (modifier.matches()) {
                String name = modifier.group(1).toLowerCase(Locale.ROOT);
                String value = modifier.group(2);
                switch (name) {
                    case "redirect" -> {
                        if (redirect != null) {
                            throw SpfException.perm("redirect= given twice (§6)");
                        }
                        redirect = MacroString.domainSpec(value);
                    }
                    case "exp" -> {
                        if (explanation != null) {
                            throw SpfException.perm("exp= given twice (§6)");
                        }
                        explanation = MacroString.domainSpec(value);
                    }
                    default -> MacroString.plain(value); // unknown modifiers are ignored, but must parse (§6)
                }
                continue;
            }
            directives.add(directive(term));
        }
        return new SpfRecord(List.copyOf(directives), redirect, explanation);
    }

    boolean hasAll() {
        return directives.stream().anyMatch(d -> d.mechanism() instanceof Mechanism.All);
    }

    private static Directive directive(String term) throws SpfException {
        SpfOutcome onMatch = switch (term.charAt(0)) {
            case '+' -> SpfOutcome.PASS;
            case '-' -> SpfOutcome.FAIL;
            case '~' -> SpfOutcome.SOFTFAIL;
            case '?' -> SpfOutcome.NEUTRAL;
            default -> null;
        };
        String body = onMatch == null ? term : term.substring(1);
        Matcher m = MECHANISM.matcher(body);
        if (!m.matches()) {
            throw SpfException.perm("invalid term '" + term + "'");
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        String rest = m.group(2);
        if (!rest.isEmpty() && rest.charAt(0) != ':' && rest.charAt(0) != '/') {
            throw SpfException.perm("unknown mechanism '" + term + "'");
        }
        Mechanism mechanism = mechanism(name, rest, term);
        return new Directive(onMatch == null ? SpfOutcome.PASS : onMatch, mechanism, term);
    }

    private static Mechanism mechanism(String name, String rest, String term) throws SpfException {
        return switch (name) {
            case "all" -> {
                requireEmpty(rest, term);
                yield new Mechanism.All();
            }
            case "include" -> new Mechanism.Include(requiredDomain(rest, term));
            case "exists" -> new Mechanism.Exists(requiredDomain(rest, term));
            case "ptr" -> new Mechanism.Ptr(rest.isEmpty() ? null : requiredDomain(rest, term));
            case "a", "mx" -> addressMechanism(name, rest, term);
            case "ip4" -> ip4(rest, term);
            case "ip6" -> ip6(rest, term);
            default -> throw SpfException.perm("unknown mechanism '" + term + "'");
        };
    }

    private static void requireEmpty(String rest, String term) throws SpfException {
        if (!rest.isEmpty()) {
            throw SpfException.perm("unexpected arguments in '" + term + "'");
        }
    }

    private static MacroString requiredDomain(String rest, String term) throws SpfException {
        if (!rest.startsWith(":")) {
            throw SpfException.perm("domain-spec required in '" + term + "'");
        }
        return MacroString.domainSpec(rest.substring(1));
    }

    /** {@code a} and {@code mx}: [":" domain-spec] [dual-cidr-length] (§5.3, §5.4, §5.6). */
    private static Mechanism addressMechanism(String name, String rest, String term) throws SpfException {
        Matcher m = DUAL_CIDR.matcher(rest);
        if (!m.matches()) {
            throw SpfException.perm("invalid '" + term + "'");
        }
        MacroString domain = m.group(1) == null ? null : MacroString.domainSpec(m.group(1));
        int cidr4 = cidr(m.group(2), 32, term);
        int cidr6 = cidr(m.group(3), 128, term);
        return name.equals("a") ? new Mechanism.A(domain, cidr4, cidr6) : new Mechanism.Mx(domain, cidr4, cidr6);
    }

    private static Mechanism ip4(String rest, String term) throws SpfException {
        Matcher m = NETWORK.matcher(rest);
        if (!m.matches() || !DOTTED_QUAD.matcher(m.group(1)).matches()) {
            throw SpfException.perm("invalid '" + term + "'");
        }
        InetAddress network = Addresses.parseIpv4(m.group(1)).orElseThrow();
        return new Mechanism.Ip4(new IpNetwork(network, cidr(m.group(2), 32, term)));
    }

    private static Mechanism ip6(String rest, String term) throws SpfException {
        Matcher m = NETWORK.matcher(rest);
        Optional<InetAddress> network = m.matches() ? Addresses.parseIpv6(m.group(1)) : Optional.empty();
        if (network.isEmpty()) {
            throw SpfException.perm("invalid '" + term + "'");
        }
        int cidr = cidr(m.group(2), 128, term);
        int bits = network.get().getAddress().length * 8; // 32 for an IPv4-mapped literal
        return new Mechanism.Ip6(cidr > bits ? null : new IpNetwork(network.get(), cidr));
    }

    private static int cidr(String digits, int max, String term) throws SpfException {
        if (digits == null) {
            return max;
        }
        int value = Integer.parseInt(digits);
        if (value > max) {
            throw SpfException.perm("CIDR length over " + max + " in '" + term + "'");
        }
        return value;
    }
}
