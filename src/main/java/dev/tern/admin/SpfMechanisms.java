package dev.tern.admin;

import dev.tern.mail.IpNetwork;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * A rough reading of a published SPF record for {@code tern dns}: does it plainly authorize this host? Only the
 * mechanisms an operator would write for it are recognised ({@code mx}, {@code a:<host>}, {@code ip4}, {@code ip6});
 * includes and macros are not followed (the receiving side evaluates records fully, RFC 7208 §5).
 */
final class SpfMechanisms {

    private SpfMechanisms() {
    }

    /** Which mechanism authorizes the host, or null when none of the recognised ones does. */
    static String authorizes(String record, String domain, String hostname, List<InetAddress> addresses) {
        for (String term : record.strip().split("\\s+")) {
            String t = term.toLowerCase(Locale.ROOT);
            if (t.startsWith("+")) {
                t = t.substring(1);
            } else if (t.startsWith("-") || t.startsWith("~") || t.startsWith("?")) {
                continue; // a mechanism that does not pass does not authorize
            }
            if (t.equals("mx") || t.startsWith("mx/") || t.equals("mx:" + domain)) {
                return "mx";
            }
            if (t.equals("a:" + hostname) || t.startsWith("a:" + hostname + "/")) {
                return term;
            }
            if ((t.startsWith("ip4:") || t.startsWith("ip6:")) && covers(t.substring(4), addresses)) {
                return term;
            }
        }
        return null;
    }

    private static boolean covers(String cidr, List<InetAddress> addresses) {
        int slash = cidr.indexOf('/');
        InetAddress network;
        int prefix;
        try {
            // Parsed as a literal only: never a DNS lookup for a malformed one.
            network = IpNetwork.parseAddress(slash < 0 ? cidr : cidr.substring(0, slash));
            prefix = slash < 0 ? network.getAddress().length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            return false;
        }
        if (prefix < 0 || prefix > network.getAddress().length * 8) {
            return false;
        }
        IpNetwork covering = new IpNetwork(network, prefix);
        return addresses.stream().anyMatch(covering::contains);
    }
}
