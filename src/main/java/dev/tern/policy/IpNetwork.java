package dev.tern.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * An IP network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}) or a single address.
 * IPv4 and IPv6 never match each other; an IPv4-mapped IPv6 client ({@code ::ffff:192.0.2.1}) is compared as IPv4.
 */
public record IpNetwork(byte[] prefix, int bits) {

    /** Parses CIDR text; the text was checked at configuration load, so a bad one is a programming error. */
    public static IpNetwork parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (!address.contains(":") && !address.matches("[0-9.]+")) {
            throw new IllegalArgumentException("not an IP address: " + text); // never a DNS lookup
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
        int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
        if (bits < 0 || bits > bytes.length * 8) {
            throw new IllegalArgumentException("bad prefix length: " + text);
        }
        return new IpNetwork(bytes, bits);
    }

    public static List<IpNetwork> parseAll(List<String> texts) {
        return texts.stream().map(IpNetwork::parse).toList();
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = unmapped(address.getAddress());
        if (candidate.length != prefix.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != prefix[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (candidate[full] & mask) == (prefix[full] & mask);
    }

    /** Whether any of {@code networks} contains {@code address}. */
    public static boolean anyContains(List<IpNetwork> networks, InetAddress address) {
        for (IpNetwork network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] unmapped(byte[] address) {
        if (address.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = address[i] == 0;
            }
            if (mapped && address[10] == (byte) 0xFF && address[11] == (byte) 0xFF) {
                return new byte[] {address[12], address[13], address[14], address[15]};
            }
        }
        return address;
    }
}
