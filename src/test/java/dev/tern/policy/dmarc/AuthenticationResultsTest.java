package dev.tern.policy.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.header.HeaderField;
import dev.tern.policy.dmarc.DmarcRecord.Policy;
import dev.tern.policy.spf.SpfOutcome;
import dev.tern.policy.spf.SpfResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticationResultsTest {

    private static final DmarcRecord REJECT = DmarcRecord.parse("v=DMARC1; p=reject").orElseThrow();

    @Test
    void oneFoldedFieldWithAnEntryPerMethodAndSignature() {
        DmarcResult dmarc = new DmarcResult(DmarcOutcome.PASS, "example.com", REJECT, "example.com", Policy.REJECT,
                Policy.NONE, true, true, "aligned SPF pass");
        String header = AuthenticationResults.header("mx.tern.example",
                new SpfResult(SpfOutcome.PASS, "example.com", "", "ip4"), "alice@example.com", "client.example",
                List.of(new DkimSignatureResult("example.com", "sel1", "pass", false, "HaHh7mj4xyz"),
                        new DkimSignatureResult("list.example", "s2", "fail", true, "ab/c+d=efgh")),
                dmarc);

        assertThat(header).isEqualTo("""
                Authentication-Results: mx.tern.example;\r
                \tspf=pass smtp.mailfrom=alice@example.com;\r
                \tdkim=pass header.d=example.com header.s=sel1 header.b=HaHh7mj4;\r
                \tdkim=fail (test mode) header.d=list.example header.s=s2 header.b="ab/c+d=e";\r
                \tdmarc=pass (p=reject dis=none) header.from=example.com\r
                """);
    }

    @Test
    void absentResultsAreNoneAndANullSenderIsReportedByItsHelo() {
        String header = AuthenticationResults.header("mx.tern.example",
                new SpfResult(SpfOutcome.NONE, "client.example", "", ""), "", "client.example", List.of(),
                DmarcResult.without(DmarcOutcome.NONE, "example.org", "no record"));

        assertThat(header).isEqualTo("Authentication-Results: mx.tern.example;\r\n\tspf=none smtp.helo=client.example;"
                + "\r\n\tdkim=none;\r\n\tdmarc=none header.from=example.org\r\n");
        assertThat(AuthenticationResults.header("h", null, "x@y.example", "", List.of(), null))
                .contains("spf=none smtp.mailfrom=x@y.example", "dmarc=none");
    }

    @Test
    void permerrorSaysWhyAndUnusualAddressesAreQuoted() {
        String header = AuthenticationResults.header("mx.tern.example", null, "\"odd (x)\"@example.com", "",
                List.of(), DmarcResult.without(DmarcOutcome.PERMERROR, "", "2 From header fields (a)"));

        assertThat(header).contains("smtp.mailfrom=\"\\\"odd (x)\\\"@example.com\"")
                .contains("dmarc=permerror (2 From header fields \\(a\\))\r\n");
    }

    @Test
    void fieldsClaimingOurIdAreFoundWhateverTheirCaseCommentsOrQuoting() {
        String message = String.join("\r\n",
                "Authentication-Results: MX.Tern.Example; spf=pass smtp.mailfrom=a@forged.example",
                "Authentication-Results: (forged) \"mx.tern.example\" 1;",
                "\tdkim=pass header.d=forged.example",
                "authentication-results: mx.tern.example.; dmarc=pass",
                "Authentication-Results: mx.other.example; spf=pass",
                "Authentication-Results: mx.tern.example.evil; spf=pass",
                "X-Authentication-Results: mx.tern.example; spf=pass",
                "Subject: hello",
                "",
                "Authentication-Results: mx.tern.example; in the body",
                "");
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);

        List<HeaderField> ours = AuthenticationResults.claimingUs(bytes, "mx.tern.example");
        String cleaned = new String(AuthenticationResults.withoutOurs(bytes, "mx.tern.example"), StandardCharsets.UTF_8);

        assertThat(ours).hasSize(3);
        assertThat(cleaned).isEqualTo(String.join("\r\n",
                "Authentication-Results: mx.other.example; spf=pass",
                "Authentication-Results: mx.tern.example.evil; spf=pass",
                "X-Authentication-Results: mx.tern.example; spf=pass",
                "Subject: hello",
                "",
                "Authentication-Results: mx.tern.example; in the body",
                ""));
    }

    @Test
    void aMessageWithoutForgedFieldsIsReturnedAsIs() {
        byte[] bytes = "Subject: x\r\n\r\n".getBytes(StandardCharsets.UTF_8);

        assertThat(AuthenticationResults.withoutOurs(bytes, "mx.tern.example")).isSameAs(bytes);
    }

    @Test
    void authservIdParsing() {
        assertThat(AuthenticationResults.authservId(" (c (nested)) host.example; spf=pass")).contains("host.example");
        assertThat(AuthenticationResults.authservId("\"quoted\\\"id\"; none")).contains("quoted\"id");
        assertThat(AuthenticationResults.authservId("   ")).isEmpty();
        assertThat(AuthenticationResults.authservId("(unclosed")).isEmpty();
    }
}
