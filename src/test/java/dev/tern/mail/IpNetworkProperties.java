package dev.tern.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The CIDR rule of {@link IpNetwork} against an independent big-integer reading of the same prefix. */
class IpNetworkProperties {

    @Property
    void anIpv6NetworkContainsExactlyTheAddressesSharingItsPrefix(@ForAll @Size(16) byte[] network,
            @ForAll @Size(16) byte[] address, @ForAll @IntRange(max = 128) int bits) throws Exception {
        InetAddress net = InetAddress.getByAddress(network);
        InetAddress candidate = InetAddress.getByAddress(address);
        // An IPv4-mapped pattern comes back as IPv4: only compare when both stayed IPv6.
        if (net instanceof Inet4Address || candidate instanceof Inet4Address) {
            return;
        }
        assertThat(new IpNetwork(net, bits).contains(candidate)).isEqualTo(samePrefix(network, address, bits));
    }

    /** The last bit inside the prefix decides; the first bit beyond it never does. */
    @Property
    void theBoundaryBitIsTheLastOneThatCounts(@ForAll @Size(4) byte[] network, @ForAll @IntRange(min = 1, max = 32) int bits)
            throws Exception {
        IpNetwork net = new IpNetwork(InetAddress.getByAddress(network), bits);
        byte[] inside = net.address().getAddress();
        assertThat(net.contains(InetAddress.getByAddress(inside))).isTrue();
        byte[] lastBitFlipped = inside.clone();
        lastBitFlipped[(bits - 1) / 8] ^= (byte) (0x80 >>> ((bits - 1) % 8));
        assertThat(net.contains(InetAddress.getByAddress(lastBitFlipped))).isFalse();
        if (bits < 32) {
            byte[] nextBitFlipped = inside.clone();
            nextBitFlipped[bits / 8] ^= (byte) (0x80 >>> (bits % 8));
            assertThat(net.contains(InetAddress.getByAddress(nextBitFlipped))).isTrue();
        }
    }

    @Property
    void slashZeroHoldsItsWholeFamilyAndNothingElse(@ForAll @Size(4) byte[] v4, @ForAll @Size(16) byte[] v6)
            throws Exception {
        InetAddress four = InetAddress.getByAddress(v4);
        InetAddress six = InetAddress.getByAddress(v6);
        assertThat(IpNetwork.parse("0.0.0.0/0").contains(four)).isTrue();
        assertThat(IpNetwork.parse("::/0").contains(four)).isFalse();
        if (!(six instanceof Inet4Address)) {
            assertThat(IpNetwork.parse("::/0").contains(six)).isTrue();
            assertThat(IpNetwork.parse("0.0.0.0/0").contains(six)).isFalse();
        }
    }

    @Property
    void aFullPrefixHoldsOneAddress(@ForAll @Size(4) byte[] a, @ForAll @Size(4) byte[] b,
            @ForAll @Size(16) byte[] c, @ForAll @Size(16) byte[] d) throws Exception {
        IpNetwork v4 = IpNetwork.parse(InetAddress.getByAddress(a).getHostAddress() + "/32");
        assertThat(v4.contains(InetAddress.getByAddress(b))).isEqualTo(java.util.Arrays.equals(a, b));
        InetAddress six = InetAddress.getByAddress(c);
        if (!(six instanceof Inet4Address)) {
            IpNetwork v6 = new IpNetwork(six, 128);
            assertThat(v6.contains(InetAddress.getByAddress(d))).isEqualTo(java.util.Arrays.equals(c, d));
            assertThat(IpNetwork.parse(v6.toString())).isEqualTo(v6);
        }
    }

    /** Java reads ::ffff:a.b.c.d as a.b.c.d, so the IPv4 network holding a.b.c.d holds its mapped form. */
    @Property
    void anIpv4MappedAddressIsReadAsItsIpv4Form(@ForAll @Size(4) byte[] v4, @ForAll @IntRange(max = 32) int bits)
            throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(v4, 0, mapped, 12, 4);
        InetAddress read = InetAddress.getByAddress(mapped);
        assertThat(read).isInstanceOf(Inet4Address.class);
        assertThat(new IpNetwork(InetAddress.getByAddress(v4), bits).contains(read)).isTrue();
        assertThat(IpNetwork.parse("::/0").contains(read)).isFalse();
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        int total = a.length * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(total).subtract(BigInteger.ONE)
                .shiftRight(total - bits).shiftLeft(total - bits);
        return new BigInteger(1, a).and(mask).equals(new BigInteger(1, b).and(mask));
    }
}
