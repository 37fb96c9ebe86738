package dev.tern.admin;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
        String ip = slash < 0 ? cidr : cidr.substring(0, slash);
        if (!ip.matches("[0-9a-f:.]+")) {
            return false; // never a DNS lookup for a malformed literal
        }
        try {
            byte[] network = InetAddress.getByName(ip).getAddress();
            int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            for (InetAddress address : addresses) {
                byte[] candidate = address.getAddress();
                if (candidate.length == network.length && samePrefix(network, candidate, prefix)) {
                    return true;
                }
            }
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    private static boolean samePrefix(byte[] a, byte[] b, int prefix) {
        int bits = a.length * 8;
        if (prefix < 0 || prefix > bits) {
            return false;
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .shiftRight(bits - prefix).shiftLeft(bits - prefix);
        return new BigInteger(1, a).and(mask).equals(new BigInteger(1, b).and(mask));
    }
}
