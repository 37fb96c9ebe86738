package dev.tern.policy.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.policy.spf.SpfOutcome;
import dev.tern.policy.spf.SpfResult;
import dev.tern.testdns.FakeDnsResolver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageAuthenticationTest {

    private final FakeDnsResolver dns = new FakeDnsResolver()
            .add("_dmarc.example.com", "TXT", "v=DMARC1; p=reject");
    private final MessageAuthentication authentication = new MessageAuthentication(
            new DmarcChecker(dns, PublicSuffixList.bundled(), new FixedDraw(0)), AuthenticationPolicy.defaults(),
            "mx.tern.example");

    private static byte[] message(String headers) {
        return (headers + "\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aForgedPassFromTheOutsideIsRejectedAndItsFieldReported() {
        byte[] message = message("Authentication-Results: mx.tern.example; dmarc=pass\r\nFrom: boss@example.com\r\n");

        MessageAuthentication.Outcome outcome = authentication.check(message,
                new SpfResult(SpfOutcome.FAIL, "example.com", "", ""), "boss@example.com", "evil.example", List.of());

        assertThat(outcome.dmarc().outcome()).isEqualTo(DmarcOutcome.FAIL);
        assertThat(outcome.decision().action()).isEqualTo(AuthenticationPolicy.Action.REJECT);
        assertThat(outcome.forged()).hasSize(1);
        assertThat(outcome.header()).startsWith("Authentication-Results: mx.tern.example;\r\n\tspf=fail")
                .contains("dmarc=fail (p=reject dis=reject) header.from=example.com");
    }

    @Test
    void anAlignedSignatureIsAccepted() {
        MessageAuthentication.Outcome outcome = authentication.check(message("From: a@example.com\r\n"),
                new SpfResult(SpfOutcome.NONE, "forwarder.example", "", ""), "x@forwarder.example", "fwd.example",
                List.of(new DkimSignatureResult("example.com", "s", "pass", false, "abcdefgh")));

        assertThat(outcome.decision().action()).isEqualTo(AuthenticationPolicy.Action.ACCEPT);
        assertThat(outcome.forged()).isEmpty();
        assertThat(outcome.header()).contains("dkim=pass header.d=example.com", "dmarc=pass");
    }
}
