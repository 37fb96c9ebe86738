package dev.tern.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpNetworkTest {

    private static InetAddress ip(String text) {
        return IpNetwork.parseAddress(text);
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8, 10.0.0.0, true",
            "10.0.0.0/8, 10.255.255.255, true",
            "10.0.0.0/8, 11.0.0.0, false",
            "10.0.0.0/8, 9.255.255.255, false",
            "192.0.2.128/25, 192.0.2.128, true",
            "192.0.2.128/25, 192.0.2.127, false",
            "192.0.2.7, 192.0.2.7, true",
            "192.0.2.7, 192.0.2.8, false",
            "192.0.2.7/32, 192.0.2.7, true",
            "0.0.0.0/0, 203.0.113.9, true",
            "0.0.0.0/0, ::1, false",
            "2001:db8::/32, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
            "2001:db8::/32, 2001:db9::, false",
            "2001:db8::/127, 2001:db8::1, true",
            "2001:db8::/127, 2001:db8::2, false",
            "2001:DB8::1, 2001:db8:0:0:0:0:0:1, true",
            "::/0, 2001:db8::1, true",
            "::/0, 10.0.0.1, false",
            "::1, ::1, true",
            // Java reads an IPv4-mapped address as the IPv4 address, so a v4 network contains it.
            "192.0.2.0/24, ::ffff:192.0.2.1, true",
    })
    void contains(String network, String address, boolean expected) {
        assertThat(IpNetwork.parse(network).contains(ip(address))).isEqualTo(expected);
    }

    @Test
    void anAddressAloneIsAWholePrefix() {
        assertThat(IpNetwork.parse("192.0.2.7").prefixLength()).isEqualTo(32);
        assertThat(IpNetwork.parse("2001:db8::7").prefixLength()).isEqualTo(128);
        assertThat(IpNetwork.parse("10.0.0.0/8")).hasToString("10.0.0.0/8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0", "256.0.0.1", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/-1",
            "10.0.0.0/08", "example.com", "fe80::1%eth0", "10.0.0.0/8/8", " 10.0.0.1", "2001:db8::g"})
    void refusesWhatIsNoAddressOrNetwork(String text) {
        assertThatThrownBy(() -> IpNetwork.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"");
    }

    @Test
    void refusesHostBitsAndSaysWhichNetworkWasMeant() {
        assertThatThrownBy(() -> IpNetwork.parse("10.1.2.3/8"))
                .hasMessageContaining("write \"10.0.0.0/8\"");
        assertThatThrownBy(() -> IpNetwork.parse("2001:db8::1/64")).hasMessageContaining("/64 prefix");
    }

    @Test
    void refusesAMappedAddressForItsIpv4Form() {
        assertThatThrownBy(() -> IpNetwork.parse("::ffff:192.0.2.0/120")).hasMessageContaining("IPv4 form");
    }

    @Test
    void neverAsksDnsForAName() {
        assertThatThrownBy(() -> IpNetwork.parseAddress("localhost")).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void aNetworkContainsExactlyTheAddressesSharingItsPrefix(@ForAll int network, @ForAll int address,
            @ForAll @IntRange(max = 32) int bits) throws Exception {
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        IpNetwork net = IpNetwork.parse(v4(network & mask).getHostAddress() + "/" + bits);
        assertThat(net.contains(v4(address))).isEqualTo(((network ^ address) & mask) == 0);
        assertThat(IpNetwork.parse(net.toString())).isEqualTo(net);
    }

    private static InetAddress v4(int n) throws Exception {
        return InetAddress.getByAddress(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }

    @Test
    void aConstructedNetworkDropsTheBitsBeyondItsPrefix() {
        // SPF writes ip4:192.0.2.7/24 for 192.0.2.0/24 (RFC 7208 §5.6).
        IpNetwork network = new IpNetwork(ip("192.0.2.7"), 24);
        assertThat(network).hasToString("192.0.2.0/24").isEqualTo(IpNetwork.parse("192.0.2.0/24"));
        assertThat(network.contains(ip("192.0.2.200"))).isTrue();
        assertThat(network.contains(ip("192.0.3.7"))).isFalse();
    }

    @Test
    void refusesAPrefixLongerThanTheFamily() {
        assertThatThrownBy(() -> new IpNetwork(ip("192.0.2.7"), 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpNetwork(ip("::1"), 129)).isInstanceOf(IllegalArgumentException.class);
    }
}
