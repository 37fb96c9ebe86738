package dev.tern.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One DNS list in postscreen_dnsbl_sites syntax: {@code zone[=filter][*weight]}, for example
 * {@code zen.spamhaus.org=127.0.0.[2..11]*3} or {@code list.dnswl.org=127.0.[0..255].[1..3]*-5}.
 *
 * <p>The filter is four octet patterns, each a number, or a bracketed list of numbers and ranges separated by
 * {@code ;} ({@code [2;4..11]}); without a filter any answer in 127.0.0.0/8 counts. The weight (default 1) is
 * added to the client's score for each list that lists it; an allow list (DNSWL) has a negative weight.
 *
 * @param zone   the list's domain, lower case, without a trailing dot
 * @param octets for each of the four octets, the allowed values as {@code [low, high]} pairs; empty for no filter
 * @param weight what a listing adds to the score
 * @param text   the site as written, for messages
 */
public record DnsblSite(String zone, List<List<int[]>> octets, int weight, String text) {

    public DnsblSite {
        octets = List.copyOf(octets);
    }

    /** Whether this answer (an A record of the query) is a listing that the filter accepts. */
    public boolean matches(InetAddress answer) {
        if (!(answer instanceof Inet4Address)) {
            return false;
        }
        byte[] bytes = answer.getAddress();
        for (int i = 0; i < octets.size(); i++) {
            int value = bytes[i] & 0xff;
            boolean any = false;
            for (int[] range : octets.get(i)) {
                any |= value >= range[0] && value <= range[1];
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses one site.
     *
     * @param allowWeight whether {@code *weight} may be given (DNSBL sites) or not (right-hand-side lists)
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static DnsblSite parse(String text, boolean allowWeight) {
        String rest = text.strip();
        int weight = 1;
        int star = rest.lastIndexOf('*');
        if (star >= 0) {
            if (!allowWeight) {
                throw new IllegalArgumentException("\"" + text + "\": a weight (*n) has no meaning here");
            }
            String w = rest.substring(star + 1);
            if (!w.matches("[+-]?[0-9]{1,4}")) {
                throw new IllegalArgumentException("\"" + text + "\": the weight \"" + w
                        + "\" must be an integer such as 3 or -5");
            }
            weight = Integer.parseInt(w);
            rest = rest.substring(0, star);
        }
        List<List<int[]>> octets = List.of();
        int eq = rest.indexOf('=');
        if (eq >= 0) {
            octets = filter(text, rest.substring(eq + 1));
            rest = rest.substring(0, eq);
        }
        String zone = rest.toLowerCase(Locale.ROOT);
        if (zone.endsWith(".")) {
            zone = zone.substring(0, zone.length() - 1);
        }
        String problem = Syntax.hostnameProblem(zone);
        if (problem == null && !zone.contains(".")) {
            problem = "must have at least two labels, got \"" + rest + "\"";
        }
        if (problem != null) {
            throw new IllegalArgumentException("\"" + text + "\": the zone " + problem);
        }
        return new DnsblSite(zone, octets, weight, text.strip());
    }

    private static List<List<int[]>> filter(String text, String filter) {
        List<String> parts = splitOctets(filter);
        if (parts.size() != 4) {
            throw new IllegalArgumentException("\"" + text + "\": the filter \"" + filter
                    + "\" must have four octets, such as 127.0.0.2 or 127.0.0.[2..11]");
        }
        List<List<int[]>> out = new ArrayList<>();
        for (String part : parts) {
            out.add(octet(text, part));
        }
        return out;
    }

    /** Splits at the dots outside brackets ({@code 127.0.0.[2..11]} has four parts). */
    private static List<String> splitOctets(String filter) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '.' && depth == 0) {
                parts.add(filter.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(filter.substring(start));
        return parts;
    }

    private static List<int[]> octet(String text, String part) {
        if (!part.startsWith("[")) {
            int n = number(text, part, part);
            return List.of(new int[] {n, n});
        }
        if (!part.endsWith("]") || part.length() < 3) {
            throw new IllegalArgumentException("\"" + text + "\": the octet \"" + part
                    + "\" must be a number or a bracketed list such as [2..11] or [2;4]");
        }
        List<int[]> ranges = new ArrayList<>();
        for (String item : part.substring(1, part.length() - 1).split(";", -1)) {
            int dots = item.indexOf("..");
            int low = number(text, part, dots < 0 ? item : item.substring(0, dots));
            int high = dots < 0 ? low : number(text, part, item.substring(dots + 2));
            if (low > high) {
                throw new IllegalArgumentException("\"" + text + "\": the range \"" + item + "\" in \"" + part
                        + "\" goes downwards");
            }
            ranges.add(new int[] {low, high});
        }
        return List.copyOf(ranges);
    }

    private static int number(String text, String part, String digits) {
        if (!digits.matches("[0-9]{1,3}") || Integer.parseInt(digits) > 255) {
            throw new IllegalArgumentException("\"" + text + "\": \"" + digits + "\" in \"" + part
                    + "\" is not an octet value 0 to 255");
        }
        return Integer.parseInt(digits);
    }

    @Override
    public String toString() {
        return text;
    }
}
