package dev.tern.policy.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DkimSignerTest {

    private static final long NOW = 1_800_000_000L;

    private static List<String> sign(SignOptions options, byte[] message, DkimKey... keys) throws Exception {
        return new DkimSigner(DkimTestData.clockAt(NOW), options).sign(new ByteArrayInputStream(message), List.of(keys));
    }

    @Test
    void signsWithBothKeysFoldedAt78AndVerifies() throws Exception {
        byte[] message = DkimTestData.bytes("messages/utf8-mime.eml");

        List<String> fields = sign(SignOptions.defaults(), message, DkimTestData.rsaKey(), DkimTestData.ed25519Key());

        assertThat(fields).hasSize(2);
        assertThat(fields.get(0)).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test;")
                .endsWith("\r\n").doesNotContain("l=").contains(" t=" + NOW + ";");
        assertThat(fields.get(1)).contains("a=ed25519-sha256;", "s=ed25519;");
        for (String field : fields) {
            assertThat(field.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
            assertThat(List.of(field.split("\r\n")).subList(1, field.split("\r\n").length)).allSatisfy(line -> assertThat(line).startsWith(" "));
        }
        List<DkimResult> results = DkimTestData.verify(DkimTestData.concat(String.join("", fields), message),
                DkimTestData.lookup("rsa2048._domainkey.example.test=@keys/rsa2048.dns",
                        "ed25519._domainkey.example.test=@keys/ed25519.dns"), NOW);
        assertThat(results).extracting(DkimResult::status)
                .containsExactly(DkimResult.Status.PASS, DkimResult.Status.PASS);
    }

    /** From, Subject, Date, To, Cc, Message-ID are listed once more than present; others once per instance. */
    @Test
    void overSignsTheFieldsReadersRelyOn() throws Exception {
        byte[] message = ("From: a@example.test\r\nTo: b@example.test\r\nTo: c@example.test\r\nSubject: s\r\n"
                + "Received: x\r\nReply-To: r@example.test\r\nList-Id: <l.example.test>\r\n\r\nbody\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        String field = sign(SignOptions.defaults(), message, DkimTestData.ed25519Key()).get(0);

        assertThat(DkimTestData.tag(field, "h")).isEqualTo(
                "from:from:reply-to:subject:subject:date:to:to:to:cc:message-id:list-id");
    }

    @Test
    void anAddedFromOrCcBreaksTheSignature() throws Exception {
        byte[] message = DkimTestData.bytes("messages/plain.eml");
        String field = sign(SignOptions.defaults(), message, DkimTestData.ed25519Key()).get(0);
        KeyLookup keys = DkimTestData.lookup("ed25519._domainkey.example.test=@keys/ed25519.dns");

        for (String added : List.of("From: mallory@evil.test\r\n", "Cc: mallory@evil.test\r\n")) {
            byte[] tampered = DkimTestData.concat(field + added, message);
            assertThat(DkimTestData.verify(tampered, keys, NOW).get(0).status()).as(added)
                    .isEqualTo(DkimResult.Status.FAIL);
        }
    }

    @Test
    void simpleCanonicalizationAndExpiry() throws Exception {
        SignOptions options = SignOptions.defaults()
                .withCanonicalization(Canonicalization.SIMPLE, Canonicalization.SIMPLE)
                .withLifetime(Duration.ofDays(7));
        byte[] message = DkimTestData.bytes("messages/whitespace.eml");

        String field = sign(options, message, DkimTestData.rsaKey()).get(0);

        assertThat(field).contains("c=simple/simple;", "x=" + (NOW + 7 * 86400) + ";");
        KeyLookup keys = DkimTestData.lookup("rsa2048._domainkey.example.test=@keys/rsa2048.dns");
        byte[] signed = DkimTestData.concat(field, message);
        assertThat(DkimTestData.verify(signed, keys, NOW + 86400).get(0).status()).isEqualTo(DkimResult.Status.PASS);
        DkimResult late = DkimTestData.verify(signed, keys, NOW + 8 * 86400).get(0);
        assertThat(late.status()).isEqualTo(DkimResult.Status.FAIL);
        assertThat(late.reason()).contains("expired");
    }

    @Test
    void noKeysNoSignaturesAndFromMustBeSigned() throws Exception {
        assertThat(sign(SignOptions.defaults(), DkimTestData.bytes("messages/plain.eml"))).isEmpty();
        assertThatThrownBy(() -> HeaderPolicy.exactly(List.of("subject"))).hasMessageContaining("From");
    }

    /** 1 MiB of body is streamed; the same octets signed twice give the same body hash. */
    @Test
    void largeBodiesSign() throws Exception {
        byte[] body = ("x".repeat(998) + "\r\n").repeat(1050).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] message = DkimTestData.concat("From: a@example.test\r\nSubject: big\r\n\r\n", body);
        String a = sign(SignOptions.defaults(), message, DkimTestData.ed25519Key()).get(0);
        String b = sign(SignOptions.defaults(), message, DkimTestData.ed25519Key()).get(0);
        assertThat(DkimTestData.tag(a, "bh")).isEqualTo(DkimTestData.tag(b, "bh"));
        assertThat(DkimTestData.verify(DkimTestData.concat(a, message),
                DkimTestData.lookup("ed25519._domainkey.example.test=@keys/ed25519.dns"), NOW).get(0).passed()).isTrue();
    }
}
