package dev.tern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.mail.IpNetwork;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScreenReaderTest {

    private static ScreenSettings read(String toml) throws Exception {
        return ScreenReader.read(DeliveryReaderTest.top(toml), ScreenSettings.defaults());
    }

    @Test
    void offByDefault() throws Exception {
        ScreenSettings screen = read("");
        assertThat(screen.active()).isFalse();
        assertThat(screen.pregreetDelay()).isZero();
        assertThat(read("[screen]\n").active()).isFalse();
    }

    @Test
    void readsPostscreenSyntax() throws Exception {
        ScreenSettings screen = read("""
                [screen]
                pregreet_delay = "6s"
                greet_banner = ""
                pass_ttl = "7d"
                cache_max_entries = 5000
                allow_networks = ["192.0.2.0/24", "2001:db8::/32"]
                deny_networks = ["198.51.100.7"]
                dnsbl_sites = ["zen.spamhaus.org=127.0.0.[2..11]*3", "list.dnswl.org=127.0.[0..255].[1..3]*-5",
                               "bl.example."]
                dnsbl_threshold = 3
                dnsbl_allowlist_threshold = -1
                dnsbl_timeout = "5s"
                rhsbl_helo = ["dbl.example=127.0.1.[2..99]"]
                rhsbl_sender = ["dbl.example"]
                """);
        assertThat(screen.active()).isTrue();
        assertThat(screen.pregreetDelay()).isEqualTo(Duration.ofSeconds(6));
        assertThat(screen.greetBanner()).isEmpty();
        assertThat(screen.passTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(screen.allowNetworks()).containsExactly(IpNetwork.parse("192.0.2.0/24"),
                IpNetwork.parse("2001:db8::/32"));
        assertThat(screen.dnsblSites()).extracting(DnsblSite::zone, DnsblSite::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("zen.spamhaus.org", 3),
                        org.assertj.core.groups.Tuple.tuple("list.dnswl.org", -5),
                        org.assertj.core.groups.Tuple.tuple("bl.example", 1));
        assertThat(screen.dnsblAllowlistThreshold()).isEqualTo(-1);
        assertThat(screen.rhsblSender()).hasSize(1);
    }

    @Test
    void filtersMatchTheirOctets() throws Exception {
        DnsblSite zen = DnsblSite.parse("zen.example=127.0.0.[2..11;20]*3", true);
        assertThat(zen.matches(InetAddress.getByName("127.0.0.2"))).isTrue();
        assertThat(zen.matches(InetAddress.getByName("127.0.0.11"))).isTrue();
        assertThat(zen.matches(InetAddress.getByName("127.0.0.20"))).isTrue();
        assertThat(zen.matches(InetAddress.getByName("127.0.0.12"))).isFalse();
        assertThat(zen.matches(InetAddress.getByName("127.0.1.2"))).isFalse();
        DnsblSite any = DnsblSite.parse("any.example", true);
        assertThat(any.matches(InetAddress.getByName("127.0.0.255"))).isTrue();
    }

    @Test
    void aBadSiteNamesTheKeyAndThePartThatIsWrong() {
        String[][] cases = {
                {"zen.example=127.0.0.[2..300]", "\"300\" in \"[2..300]\" is not an octet value 0 to 255"},
                {"zen.example=127.0.0", "the filter \"127.0.0\" must have four octets"},
                {"zen.example=127.0.0.[11..2]", "the range \"11..2\" in \"[11..2]\" goes downwards"},
                {"zen.example=127.0.0.[2..11", "the octet \"[2..11\" must be a number or a bracketed list"},
                {"zen.example*x", "the weight \"x\" must be an integer"},
                {"zen_example=127.0.0.2", "the zone must be a host name"},
                {"localhost", "the zone must have at least two labels"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> read("[screen]\ndnsbl_sites = [\"" + c[0] + "\"]\n"))
                    .as(c[0]).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("screen.dnsbl_sites: \"" + c[0] + "\": ").hasMessageContaining(c[1]);
        }
        assertThatThrownBy(() -> read("[screen]\nrhsbl_sender = [\"dbl.example*2\"]\n"))
                .hasMessageContaining("screen.rhsbl_sender: \"dbl.example*2\": a weight (*n) has no meaning here");
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> read("[screen]\npregreet_delay = \"2m\"\n"))
                .hasMessageContaining("screen.pregreet_delay: must be between");
        assertThatThrownBy(() -> read("[screen]\ndnsbl_allowlist_threshold = 1\n"))
                .hasMessageContaining("screen.dnsbl_allowlist_threshold: must be between");
        assertThatThrownBy(() -> read("[screen]\ndeny_networks = [\"192.0.2.0/33\"]\n"))
                .hasMessageContaining("screen.deny_networks");
        assertThatThrownBy(() -> read("[screen]\ngreet_banner = \"a\\r\\nb\"\n"))
                .hasMessageContaining("screen.greet_banner: must be one line");
        assertThatThrownBy(() -> read("[screen]\ngreet_banner = \"Grüße\"\n"))
                .hasMessageContaining("screen.greet_banner: must be one line of printable ASCII");
        assertThatThrownBy(() -> read("[screen]\npostscreen_greet_wait = \"6s\"\n"))
                .hasMessageContaining("postscreen_greet_wait");
    }
}
