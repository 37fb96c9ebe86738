package dev.tern.policy.mailauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.DkimSettings;
import dev.tern.dns.DnsResult;
import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import dev.tern.policy.dkim.DkimResult;
import dev.tern.policy.dkim.DkimVerifier;
import dev.tern.policy.mailauth.OutboundSigner.Sender;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboundSignerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path data;

    @Test
    void theFromDomainSignsOnlyWhenTheSenderMaySpeakForIt() {
        List<HeaderField> fromOther = header("From: Boss <boss@Other.Example>\r\n");
        assertThat(OutboundSigner.signingDomain(fromOther, new Sender("example.com", "example.com", false)))
                .isEqualTo("example.com");
        assertThat(OutboundSigner.signingDomain(fromOther, new Sender("example.com", "other.example", false)))
                .isEqualTo("other.example");
        assertThat(OutboundSigner.signingDomain(fromOther, new Sender("other.example", null, false)))
                .isEqualTo("other.example");
        assertThat(OutboundSigner.signingDomain(fromOther, new Sender("example.com", null, true)))
                .isEqualTo("other.example");
    }

    @Test
    void withoutAUsableFromTheEnvelopeDomainSigns() {
        Sender sender = new Sender("Example.COM", "example.com", true);
        assertThat(OutboundSigner.signingDomain(header("Subject: x\r\n"), sender)).isEqualTo("example.com");
        assertThat(OutboundSigner.signingDomain(header("From: a@x.example\r\nFrom: b@y.example\r\n"), sender))
                .isEqualTo("example.com");
        assertThat(OutboundSigner.signingDomain(header("From: a@../../etc\r\n"), sender)).isEqualTo("example.com");
        assertThat(OutboundSigner.signingDomain(header("Subject: x\r\n"), new Sender(null, null, false))).isNull();
    }

    @Test
    void signsWithTheConfiguredCanonicalizationAndLifetime() throws IOException {
        installConformanceKey("example.com");
        DkimSettings settings = new DkimSettings(true, true, DkimSettings.Canonicalization.SIMPLE,
                DkimSettings.Canonicalization.RELAXED, Duration.ofDays(7), 10, DkimSettings.Crypto.AUTO);
        OutboundSigner signer = OutboundSigner.configured(settings, data, CLOCK);
        String message = "From: alice@example.com\r\nSubject: hi\r\n\r\nHello.\r\n";

        OutboundSigner.Signed signed = signer.sign(stream(message), new Sender("example.com", null, false));

        assertThat(signed.domain()).isEqualTo("example.com");
        String field = signed.fields().get(0);
        assertThat(field).contains("c=simple/relaxed;").contains("x=" + (CLOCK.instant().getEpochSecond() + 7 * 86400));
        String record = InboundChecksTest.resource("keys/rsa2048.dns").strip();
        DkimVerifier verifier = new DkimVerifier(name -> new DnsResult.Answer<>(List.of(record), false), CLOCK);
        List<DkimResult> results = verifier.verify(stream(field + message));
        assertThat(results).singleElement().extracting(DkimResult::status).isEqualTo(DkimResult.Status.PASS);
    }

    @Test
    void aDomainWithoutKeysIsNotSignedAndItsBodyNotRead() throws IOException {
        OutboundSigner signer = OutboundSigner.configured(DkimSettings.defaults(), data, CLOCK);
        byte[] body = new byte[1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'a');
        byte[] message = concat("From: alice@example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII), body);
        long[] read = {0};
        InputStream counting = new FilterInputStream(new ByteArrayInputStream(message)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read[0] += Math.max(n, 0);
                return n;
            }
        };

        OutboundSigner.Signed signed = signer.sign(counting, new Sender("example.com", null, false));

        assertThat(signed.fields()).isEmpty();
        assertThat(signed.domain()).isEqualTo("example.com");
        assertThat(read[0]).isLessThan(message.length / 2);
    }

    private void installConformanceKey(String domain) throws IOException {
        Path dir = Files.createDirectories(data.resolve("dkim").resolve(domain));
        Files.writeString(dir.resolve("rsa2048.rsa.key"), InboundChecksTest.resource("keys/rsa2048.key"));
    }

    private static List<HeaderField> header(String text) {
        return HeaderBlock.parse((text + "\r\n").getBytes(StandardCharsets.UTF_8), HeaderBlock.LineEnds.LF).namedFields();
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
