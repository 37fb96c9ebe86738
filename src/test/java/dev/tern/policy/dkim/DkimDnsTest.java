package dev.tern.policy.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.dns.ResolverSettings;
import dev.tern.dns.DnsjavaResolver;
import dev.tern.testdns.TestDnsServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys fetched through real DNS messages: a 2048-bit key record is split into 255-octet strings. */
class DkimDnsTest {

    @Test
    void verifiesWithKeysFromDnsAndKeepsDnsFailuresTemporary() throws Exception {
        String value = DkimTestData.text("keys/rsa2048.dns").strip();
        List<String> strings = List.of(value.substring(0, 255), value.substring(255));
        try (TestDnsServer server = TestDnsServer.start()) {
            server.addTxt("rsa2048._domainkey.example.test", strings.toArray(String[]::new));
            server.servfail("ed25519._domainkey.example.test");
            KeyLookup dns = KeyLookup.dns(new DnsjavaResolver(ResolverSettings.of(server.address(), Duration.ofMillis(500), 0)));

            List<DkimResult> rsa = DkimTestData.verify(DkimTestData.bytes("signed/plain.rsa2048.relaxed-relaxed.eml"),
                    dns, DkimTestData.VECTOR_TIME);
            List<DkimResult> ed = DkimTestData.verify(DkimTestData.bytes("signed/plain.ed25519.relaxed-relaxed.eml"),
                    dns, DkimTestData.VECTOR_TIME);

            assertThat(rsa).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);
            assertThat(ed).extracting(DkimResult::status).containsExactly(DkimResult.Status.TEMPERROR);
        }
    }
}
