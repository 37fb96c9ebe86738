package dev.tern.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpNetworkTest {

    private static boolean in(String network, String address) throws Exception {
        return IpNetwork.parse(network).contains(InetAddress.getByName(address));
    }

    @Test
    void ipv4PrefixesIncludingOddLengths() throws Exception {
        assertThat(in("192.0.2.0/24", "192.0.2.255")).isTrue();
        assertThat(in("192.0.2.0/24", "192.0.3.0")).isFalse();
        assertThat(in("10.0.0.0/9", "10.127.255.255")).isTrue();
        assertThat(in("10.0.0.0/9", "10.128.0.0")).isFalse();
        assertThat(in("0.0.0.0/0", "203.0.113.7")).isTrue();
        assertThat(in("203.0.113.7", "203.0.113.7")).isTrue();
        assertThat(in("203.0.113.7", "203.0.113.8")).isFalse();
    }

    @Test
    void ipv6AndMappedAddresses() throws Exception {
        assertThat(in("2001:db8::/32", "2001:db8:ffff::1")).isTrue();
        assertThat(in("2001:db8::/33", "2001:db8:8000::1")).isFalse();
        assertThat(in("192.0.2.0/24", "::ffff:192.0.2.9")).isTrue();
        assertThat(in("2001:db8::/32", "192.0.2.1")).isFalse();
    }

    @Test
    void refusesNamesInsteadOfLookingThemUp() {
        assertThatThrownBy(() -> IpNetwork.parse("example.com/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpNetwork.parse("192.0.2.0/33")).isInstanceOf(IllegalArgumentException.class);
    }
}
