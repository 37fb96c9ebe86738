package dev.tern.policy.dkim;

import static dev.tern.policy.dkim.DkimTestData.VECTOR_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The conformance vectors (made with dkimpy) and the RFC 8463 Appendix A example. */
class DkimConformanceTest {

    /** Each row: pass only when every signature of the message passes, as dkimpy decided. */
    @TestFactory
    Stream<DynamicTest> everyVectorVerifiesAsExpected() {
        List<DkimTestData.Vector> vectors = DkimTestData.vectors();
        assertThat(vectors).hasSize(61);
        return vectors.stream().map(v -> DynamicTest.dynamicTest(v.file() + " " + v.keys() + " (" + v.note() + ")",
                () -> {
                    List<DkimResult> results = DkimTestData.verify(DkimTestData.bytes(v.file()),
                            DkimTestData.lookup(v.keys().toArray(String[]::new)), VECTOR_TIME + 60);
                    assertThat(results).isNotEmpty();
                    boolean pass = results.stream().allMatch(DkimResult::passed);
                    assertThat(pass).as(results.toString()).isEqualTo(v.pass());
                }));
    }

    /**
     * For each dkimpy-signed file, Tern signing the same input with the same key, canonicalization, tags and time
     * writes the same bh=; with relaxed header canonicalization (folding does not count) also the same b=.
     */
    @TestFactory
    Stream<DynamicTest> javaSignaturesEqualDkimpys() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(DkimTestData.root().resolve("signed"))) {
            for (Path file : files.sorted().toList()) {
                tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> sameAsDkimpy(file)));
            }
        }
        assertThat(tests).hasSize(24);
        return tests.stream();
    }

    private static void sameAsDkimpy(Path file) throws Exception {
        String[] parts = file.getFileName().toString().split("\\.");
        String signed = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        String[] canon = DkimTestData.tag(signed, "c").split("/");
        DkimKey key = parts[1].equals("rsa2048") ? DkimTestData.rsaKey() : DkimTestData.ed25519Key();
        Canonicalization header = Canonicalization.fromTag(canon[0]).orElseThrow();
        SignOptions options = SignOptions.defaults()
                .withCanonicalization(header, Canonicalization.fromTag(canon[1]).orElseThrow())
                .withIdentity(true)
                .withHeaders(HeaderPolicy.exactly(Arrays.asList(DkimTestData.tag(signed, "h").split(":"))));
        String field = new DkimSigner(DkimTestData.clockAt(VECTOR_TIME), options).sign(
                new ByteArrayInputStream(DkimTestData.bytes("messages/" + parts[0] + ".eml")), List.of(key)).get(0);
        assertThat(DkimTestData.tag(field, "bh")).isEqualTo(DkimTestData.tag(signed, "bh"));
        if (header == Canonicalization.RELAXED) {
            assertThat(DkimTestData.tag(field, "b")).isEqualTo(DkimTestData.tag(signed, "b"));
        }
    }

    /** RFC 8463 Appendix A.3: re-signing A.1's message with A.1's keys and A.3's tags gives the published b=. */
    @Test
    void rfc8463ExampleIsReproducedForEd25519AndRsa() throws Exception {
        String published = DkimTestData.text("rfc8463/signed.eml");
        List<HeaderField> publishedFields = HeaderBlock.parse(published).fields();
        SignOptions options = SignOptions.defaults().withIdentity(true).withHeaders(HeaderPolicy.exactly(
                List.of("from", "to", "subject", "date", "message-id", "from", "subject", "date")));
        DkimSigner signer = new DkimSigner(DkimTestData.clockAt(1528637909L), options);
        DkimKey ed = new DkimKey("football.example.com", "brisbane", DkimAlgorithm.ED25519_SHA256,
                DkimTestData.privateKey("rfc8463/ed25519.pkcs8.pem", DkimAlgorithm.ED25519_SHA256));
        DkimKey rsa = new DkimKey("football.example.com", "test", DkimAlgorithm.RSA_SHA256,
                DkimTestData.privateKey("rfc8463/rsa.pkcs8.pem", DkimAlgorithm.RSA_SHA256));

        List<String> fields = signer.sign(new ByteArrayInputStream(DkimTestData.bytes("rfc8463/unsigned.eml")),
                List.of(ed, rsa));

        assertThat(DkimTestData.tag(fields.get(0), "b")).isEqualTo(DkimTestData.tag(publishedFields.get(0).toString(), "b"));
        assertThat(DkimTestData.tag(fields.get(1), "b")).isEqualTo(DkimTestData.tag(publishedFields.get(1).toString(), "b"));
        assertThat(DkimTestData.tag(fields.get(0), "bh")).isEqualTo("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
    }

    /** Both signatures of A.3 pass against the A.2 records (the RSA key has 1024 bits, the least allowed). */
    @Test
    void rfc8463SignedExampleVerifies() throws Exception {
        List<DkimResult> results = DkimTestData.verify(DkimTestData.bytes("rfc8463/signed.eml"), DkimTestData.lookup(
                "brisbane._domainkey.football.example.com=@rfc8463/brisbane.dns",
                "test._domainkey.football.example.com=@rfc8463/test.dns"), 1528637909L + 60);
        assertThat(results).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS, DkimResult.Status.PASS);
        assertThat(results).extracting(DkimResult::algorithm).containsExactly("ed25519-sha256", "rsa-sha256");
        assertThat(results.get(0).authResultsEntry()).isEqualTo("dkim=pass header.d=football.example.com"
                + " header.i=@football.example.com header.s=brisbane header.a=ed25519-sha256 header.b=/gCrinpc");
    }
}
