package dev.tern.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.xbill.DNS.Address;
import org.xbill.DNS.ReverseMap;

/** IP address parsing and reverse names that never touch the network (unlike {@link InetAddress#getByName}). */
public final class Addresses {

    private Addresses() {}

    /** A dotted-quad IPv4 literal, or empty if the text is anything else. */
    public static Optional<InetAddress> parseIpv4(String text) {
        return parse(text, Address.IPv4);
    }

    /** An IPv6 literal (RFC 4291 §2.2 text forms), or empty if the text is anything else. */
    public static Optional<InetAddress> parseIpv6(String text) {
        if (text.indexOf(':') < 0) {
            return Optional.empty();
        }
        return parse(text, Address.IPv6);
    }

    /** An IPv4 or IPv6 literal, or empty. */
    public static Optional<InetAddress> parse(String text) {
        return text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
    }

    private static Optional<InetAddress> parse(String text, int family) {
        byte[] bytes = Address.toByteArray(text, family);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException impossible) {
            return Optional.empty();
        }
    }

    /** The reverse-lookup name: {@code 4.3.2.1.in-addr.arpa} or the nibble form under {@code ip6.arpa}. */
    public static String reverseName(InetAddress address) {
        return ReverseMap.fromAddress(address).toString(true);
    }

    public static boolean isIpv6(InetAddress address) {
        return address instanceof Inet6Address;
    }

    public static boolean isIpv4(InetAddress address) {
        return address instanceof Inet4Address;
    }
}
