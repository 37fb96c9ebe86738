package dev.tern.mail;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IP network in CIDR notation ({@code "192.0.2.0/24"}, {@code "2001:db8::/32"}), or one address
 * ({@code "192.0.2.7"}, a /32 or /128): the one CIDR type of Tern, used by the trusted networks, the rules'
 * client matcher, SPF's ip4/ip6 and dual-CIDR a/mx mechanisms (RFC 7208 §5.6) and {@code tern dns}. Parsing never
 * asks DNS; an IPv4 network never contains an IPv6 address and the reverse (Java already turns IPv4-mapped IPv6
 * addresses into IPv4 ones). {@link #contains} is the one way to ask whether an address is in a network.
 */
public final class IpNetwork {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");

    private final InetAddress address;
    private final int prefixLength;
    /** The network's bytes, kept so that {@link #contains} copies only the candidate's. */
    private final byte[] bytes;

    /**
     * The network of {@code address} under {@code prefixLength}; bits beyond the prefix are cleared, as SPF
     * compares only the first bits of {@code ip4:192.0.2.7/24} (RFC 7208 §5.6).
     *
     * @param address      any address of the network
     * @param prefixLength the number of leading bits that must agree, 0 to 32 (IPv4) or 0 to 128 (IPv6)
     * @throws IllegalArgumentException when the prefix length does not fit the address family
     */
    public IpNetwork(InetAddress address, int prefixLength) {
        byte[] raw = address.getAddress();
        int bits = raw.length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length must be between 0 and " + bits);
        }
        byte[] masked = mask(raw, prefixLength);
        this.address = Arrays.equals(raw, masked) ? address : byAddress(masked);
        this.prefixLength = prefixLength;
        this.bytes = masked;
    }

    /** The network address, with no bit set beyond the prefix. */
    public InetAddress address() {
        return address;
    }

    /** The number of leading bits that must agree. */
    public int prefixLength() {
        return prefixLength;
    }

    /**
     * Parses {@code address} or {@code address/prefix}.
     *
     * @throws IllegalArgumentException with a reason fit for the operator
     */
    public static IpNetwork parse(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        InetAddress address;
        try {
            address = parseAddress(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be an IP address or a network such as \"192.0.2.0/24\" or "
                    + "\"2001:db8::/32\", got \"" + text + "\"");
        }
        if (host.indexOf(':') >= 0 && address.getAddress().length == 4) {
            throw new IllegalArgumentException("must not be an IPv4-mapped IPv6 address; write the IPv4 form, got \""
                    + text + "\"");
        }
        int bits = address.getAddress().length * 8;
        if (slash < 0) {
            return new IpNetwork(address, bits);
        }
        String prefix = text.substring(slash + 1);
        if (!PREFIX.matcher(prefix).matches() || Integer.parseInt(prefix) > bits) {
            throw new IllegalArgumentException("prefix length must be between 0 and " + bits + ", got \"" + text + "\"");
        }
        IpNetwork network = new IpNetwork(address, Integer.parseInt(prefix));
        byte[] masked = mask(address.getAddress(), network.prefixLength);
        if (!Arrays.equals(address.getAddress(), masked)) {
            // 10.1.2.3/8 is most likely a typo for one address or for 10.0.0.0/8: say which was read.
            throw new IllegalArgumentException("has bits set beyond the /" + prefix + " prefix; write \""
                    + new IpNetwork(byAddress(masked), network.prefixLength) + "\" for the network, got \"" + text + "\"");
        }
        return network;
    }

    /**
     * An IPv4 dotted quad or an IPv6 address, parsed without any DNS lookup.
     *
     * @throws IllegalArgumentException when the text is neither
     */
    public static InetAddress parseAddress(String text) {
        boolean literal = IPV4.matcher(text).matches() || (text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches());
        if (literal) {
            try {
                // A string of digits and dots or holding ':' is parsed as a literal; DNS is never asked.
                return InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException("must be an IPv4 or IPv6 address, got \"" + text + "\"");
    }

    /** Whether {@code candidate} is of this network's family and agrees on the first {@link #prefixLength} bits. */
    public boolean contains(InetAddress candidate) {
        byte[] other = candidate.getAddress();
        if (other.length != bytes.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != other[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        return rest == 0 || bytes[whole] == (byte) (other[whole] & (0xff << (8 - rest)));
    }

    /** The bytes with every bit beyond the prefix cleared. */
    private static byte[] mask(byte[] bytes, int prefixLength) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only thrown for a wrong length, which cannot happen here
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpNetwork n && n.prefixLength == prefixLength && Arrays.equals(n.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bytes) + prefixLength;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
