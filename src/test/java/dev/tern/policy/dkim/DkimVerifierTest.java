package dev.tern.policy.dkim;

import static dev.tern.policy.dkim.DkimResult.Status.FAIL;
import static dev.tern.policy.dkim.DkimResult.Status.NEUTRAL;
import static dev.tern.policy.dkim.DkimResult.Status.PASS;
import static dev.tern.policy.dkim.DkimResult.Status.PERMERROR;
import static dev.tern.policy.dkim.DkimResult.Status.POLICY;
import static dev.tern.policy.dkim.DkimResult.Status.TEMPERROR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.dns.DnsResult;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DkimVerifierTest {

    private static final long NOW = 1_800_000_000L;
    private static final String NAME = "ed._domainkey.example.test";
    private static final String BASE = "v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.test; s=ed; h=from:subject;";
    private static final byte[] MESSAGE = ManualSignature.message(
            "From: a@example.test\r\nSubject: hi\r\n\r\nHello.\r\n");

    private static KeyPair ed;
    private static String edRecord;

    @BeforeAll
    static void keys() throws Exception {
        ed = DkimKeys.generate(DkimAlgorithm.ED25519_SHA256, 0);
        edRecord = DkimKeys.recordValue(DkimAlgorithm.ED25519_SHA256, ed.getPublic());
    }

    private static DkimResult verify(byte[] message, String record) throws Exception {
        return verify(message, DkimTestData.records(Map.of(NAME, record))).get(0);
    }

    private static List<DkimResult> verify(byte[] message, KeyLookup lookup) throws Exception {
        return DkimTestData.verify(message, lookup, NOW);
    }

    private static byte[] signed(String tags) throws Exception {
        return ManualSignature.sign(MESSAGE, tags, DkimAlgorithm.ED25519_SHA256, ed);
    }

    @Test
    void aCorrectSignaturePassesAndIsTrusted() throws Exception {
        DkimResult result = verify(signed(BASE), edRecord);
        assertThat(result.status()).isEqualTo(PASS);
        assertThat(result.trusted()).isTrue();
        assertThat(result.domain()).isEqualTo("example.test");
        assertThat(result.identity()).isEqualTo("@example.test");
        assertThat(result.authResultsEntry()).startsWith("dkim=pass header.d=example.test header.i=@example.test"
                + " header.s=ed header.a=ed25519-sha256 header.b=");
    }

    @Test
    void anUnsignedMessageHasNoResults() throws Exception {
        assertThat(verify(MESSAGE, DkimTestData.records(Map.of()))).isEmpty();
    }

    @Test
    void rsaSha1IsRefusedByPolicy() throws Exception {
        byte[] message = DkimTestData.concat("DKIM-Signature: v=1; a=rsa-sha1; d=example.test; s=ed; h=from;"
                + " bh=AAAA; b=AAAA\r\n", MESSAGE);
        DkimResult result = verify(message, edRecord);
        assertThat(result.status()).isEqualTo(POLICY);
        assertThat(result.reason()).contains("RFC 8301");
    }

    @Test
    void rsaKeysUnder1024BitsFail() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(768);
        KeyPair weak = generator.generateKeyPair();
        byte[] message = ManualSignature.sign(MESSAGE, BASE.replace("ed25519-sha256", "rsa-sha256"),
                DkimAlgorithm.RSA_SHA256, weak);
        DkimResult result = verify(message, DkimKeys.recordValue(DkimAlgorithm.RSA_SHA256, weak.getPublic()));
        assertThat(result.status()).isEqualTo(FAIL);
        assertThat(result.reason()).contains("768 bits");
    }

    /** RFC 6376 §8.2: with l=, anything after the signed octets is anyone's; it passes but is flagged. */
    @Test
    void lengthLimitPassesOverTheSignedPartAndFlagsTheRest() throws Exception {
        byte[] message = signed(BASE + " l=8;");
        assertThat(verify(message, edRecord).unsignedContent()).isFalse();

        DkimResult appended = verify(DkimTestData.concat(new String(message, java.nio.charset.StandardCharsets.ISO_8859_1),
                ManualSignature.message("Click here: evil.test\r\n")), edRecord);
        assertThat(appended.status()).isEqualTo(PASS);
        assertThat(appended.unsignedContent()).isTrue();
        assertThat(appended.trusted()).isFalse();
        assertThat(appended.authResultsEntry()).contains("unsigned content");

        DkimResult tooLong = verify(signed(BASE + " l=9999;"), edRecord);
        assertThat(tooLong.status()).isEqualTo(FAIL);
    }

    @Test
    void testingKeysPassButAreNotTrusted() throws Exception {
        DkimResult result = verify(signed(BASE), edRecord + "; t=y");
        assertThat(result.status()).isEqualTo(PASS);
        assertThat(result.testing()).isTrue();
        assertThat(result.trusted()).isFalse();
    }

    @Test
    void strictKeysRefuseSubdomainIdentities() throws Exception {
        byte[] message = signed(BASE + " i=user@mail.example.test;");
        assertThat(verify(message, edRecord).status()).isEqualTo(PASS);
        assertThat(verify(message, edRecord + "; t=s").status()).isEqualTo(PERMERROR);
        assertThat(verify(signed(BASE + " i=user@example.test;"), edRecord + "; t=s").status()).isEqualTo(PASS);
    }

    @Test
    void keyRecordTagsAreHonoured() throws Exception {
        byte[] message = signed(BASE);
        assertThat(verify(message, edRecord + "; h=sha1").status()).isEqualTo(PERMERROR);
        assertThat(verify(message, edRecord + "; h=sha1:sha256").status()).isEqualTo(PASS);
        assertThat(verify(message, edRecord + "; s=other").status()).isEqualTo(PERMERROR);
        assertThat(verify(message, edRecord + "; s=email").status()).isEqualTo(PASS);
        assertThat(verify(message, "v=DKIM2; k=ed25519; p=x").status()).isEqualTo(PERMERROR);
        assertThat(verify(message, "k=ed25519; p=").reason()).contains("revoked");
        assertThat(verify(message, "k=ed25519; p=AAAA").reason()).contains("bad key data");
        assertThat(verify(message, edRecord.replace("k=ed25519", "k=rsa")).reason()).contains("does not fit");
    }

    @Test
    void signatureFieldErrorsAreNeutral() throws Exception {
        assertThat(verify(signed(BASE + " i=a@other.test;"), edRecord).reason()).contains("not within d=");
        assertThat(verify(signed(BASE.replace("h=from:subject", "h=subject")), edRecord).reason())
                .contains("From is not signed");
        assertThat(verify(signed(BASE + " t=200; x=100;"), edRecord).status()).isEqualTo(NEUTRAL);
        assertThat(verify(signed(BASE.replace("v=1", "v=2")), edRecord).status()).isEqualTo(NEUTRAL);
        assertThat(verify(signed(BASE.replace("relaxed/relaxed", "fancy")), edRecord).status()).isEqualTo(NEUTRAL);
        byte[] broken = DkimTestData.concat("DKIM-Signature: v=1; a=ed25519-sha256; a=rsa-sha256\r\n", MESSAGE);
        assertThat(verify(broken, edRecord).status()).isEqualTo(NEUTRAL);
    }

    @Test
    void dnsTroubleIsTemporaryAndAMissingKeyIsPermanent() throws Exception {
        byte[] message = signed(BASE);
        assertThat(verify(message, name -> new DnsResult.Temporary<>("SERVFAIL")).get(0).status()).isEqualTo(TEMPERROR);
        assertThat(verify(message, name -> new DnsResult.NxDomain<>()).get(0).status()).isEqualTo(PERMERROR);
        assertThat(verify(message, name -> new DnsResult.NoData<>()).get(0).status()).isEqualTo(PERMERROR);
    }

    /** Several records at one name: the one that verifies counts (a key being rolled over). */
    @Test
    void anyOfSeveralRecordsMayVerify() throws Exception {
        KeyPair other = DkimKeys.generate(DkimAlgorithm.ED25519_SHA256, 0);
        String otherRecord = DkimKeys.recordValue(DkimAlgorithm.ED25519_SHA256, other.getPublic());
        KeyLookup both = name -> new DnsResult.Answer<>(List.of("garbage", otherRecord, edRecord), false);
        assertThat(verify(signed(BASE), both).get(0).status()).isEqualTo(PASS);
        assertThat(verify(signed(BASE), otherRecord).status()).isEqualTo(FAIL);
    }

    @Test
    void everySignatureGetsAResultUpToTheLimit() throws Exception {
        byte[] once = signed(BASE);
        byte[] twice = ManualSignature.sign(once, BASE, DkimAlgorithm.ED25519_SHA256, ed);
        KeyLookup lookup = DkimTestData.records(Map.of(NAME, edRecord));
        assertThat(verify(twice, lookup)).extracting(DkimResult::status).containsExactly(PASS, PASS);
        List<DkimResult> limited = new DkimVerifier(lookup, DkimTestData.clockAt(NOW), 1)
                .verify(new java.io.ByteArrayInputStream(twice));
        assertThat(limited).extracting(DkimResult::status).containsExactly(PASS, POLICY);
    }

    /** RSA p= as a bare PKCS#1 RSAPublicKey, as some publish it, is read too. */
    @Test
    void rsaPublicKeysMayBePkcs1() throws Exception {
        byte[] spki = java.util.Base64.getDecoder().decode(DkimTestData.text("keys/rsa2048.dns").strip()
                .replaceAll(".*p=", ""));
        byte[] pkcs1 = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(spki).getPublicKeyData().getBytes();
        String record = "v=DKIM1; k=rsa; p=" + java.util.Base64.getEncoder().encodeToString(pkcs1);
        List<DkimResult> results = DkimTestData.verify(DkimTestData.bytes("signed/plain.rsa2048.relaxed-relaxed.eml"),
                DkimTestData.records(Map.of("rsa2048._domainkey.example.test", record)), NOW);
        assertThat(results.get(0).status()).isEqualTo(PASS);
    }
}
