package dev.tern.policy.spf;

import java.net.InetAddress;

/** Prefix comparison of addresses of the same family (RFC 7208 §5.6). */
final class Cidr {

    private Cidr() {}

    /** True when both are of one family and agree on the first {@code bits} bits. */
    static boolean contains(InetAddress network, int bits, InetAddress address) {
        byte[] a = network.getAddress();
        byte[] b = address.getAddress();
        if (a.length != b.length || bits > a.length * 8) {
            return false;
        }
        int whole = bits / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[whole] & mask) == (b[whole] & mask);
    }
}
