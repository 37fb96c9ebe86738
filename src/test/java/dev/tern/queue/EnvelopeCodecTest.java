package dev.tern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.Recipient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

class EnvelopeCodecTest {

    @Property(tries = 200)
    void everyEnvelopeRoundTrips(@ForAll("envelopes") Envelope envelope) throws IOException {
        byte[] encoded = EnvelopeCodec.encode(envelope);
        assertThat(EnvelopeCodec.decode(encoded)).isEqualTo(envelope);
    }

    @Property(tries = 200)
    void encodedValuesNeverBreakTheLineStructure(@ForAll("envelopes") Envelope envelope) {
        String text = new String(EnvelopeCodec.encode(envelope), StandardCharsets.UTF_8);
        long lines = text.chars().filter(c -> c == '\n').count();
        assertThat(lines).isEqualTo(10 + (envelope.trusted() ? 1 : 0) + (envelope.requireTls() ? 1 : 0)
                + (envelope.tlsOptional() ? 1 : 0) + envelope.recipients().size());
        assertThat(text).doesNotContain("\r").doesNotContain("\0");
    }

    @Example
    void oddAddressesAreEscapedReadably() throws IOException {
        Address quoted = new Address("\"john @ doe\"", Domain.of("Bücher.example"));
        Envelope e = new Envelope(Address.NULL, List.of(new Recipient(quoted, Set.of(Recipient.Notify.SUCCESS,
                Recipient.Notify.DELAY), "rfc822;-")), Envelope.BodyType.BINARY_MIME, true, Envelope.Ret.HDRS,
                "-", "", "2001:db8::1", null, Instant.parse("2025-01-02T03:04:05.123456789Z"));
        String text = new String(EnvelopeCodec.encode(e), StandardCharsets.UTF_8);
        assertThat(text).contains("sender -\n", "rcpt \"john%20@%20doe\" Bücher.example SUCCESS,DELAY rfc822;-\n",
                "envid %2D\n", "helo \n", "auth -\n");
        assertThat(EnvelopeCodec.decode(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(e);
    }

    /** The trusted-network mark is optional: envelopes written before it existed read as untrusted. */
    @Example
    void trustedIsWrittenOnlyWhenTrueAndReadWhenAbsent() throws IOException {
        Envelope plain = Envelopes.of(Instant.EPOCH, "a@b.example", "c@d.example");
        String text = new String(EnvelopeCodec.encode(plain), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("trusted");
        assertThat(EnvelopeCodec.decode(text.getBytes(StandardCharsets.UTF_8)).trusted()).isFalse();

        String marked = text.replace("auth -\n", "auth -\ntrusted true\n");
        Envelope trusted = EnvelopeCodec.decode(marked.getBytes(StandardCharsets.UTF_8));
        assertThat(trusted.trusted()).isTrue();
        assertThat(trusted.fromOurUser()).isTrue();
        assertThat(new String(EnvelopeCodec.encode(trusted), StandardCharsets.UTF_8)).isEqualTo(marked);
        assertThatThrownBy(() -> EnvelopeCodec.decode(text.replace("auth -\n", "auth -\ntrusted yes\n")
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
    }

    /** RFC 8689's two requests round-trip, each on a line of its own written only when set. */
    @Example
    void requireTlsAndTlsOptionalRoundTrip() throws IOException {
        Envelope plain = Envelopes.of(Instant.EPOCH, "a@b.example", "c@d.example");
        Envelope required = plain.withRequireTls(true);
        String text = new String(EnvelopeCodec.encode(required), StandardCharsets.UTF_8);
        assertThat(text).contains("auth -\nrequiretls true\n").doesNotContain("tlsoptional");
        Envelope read = EnvelopeCodec.decode(text.getBytes(StandardCharsets.UTF_8));
        assertThat(read).isEqualTo(required);
        assertThat(read.requireTls()).isTrue();
        assertThat(read.tlsOptional()).isFalse();

        Envelope optional = plain.withTlsOptional(true);
        String optionalText = new String(EnvelopeCodec.encode(optional), StandardCharsets.UTF_8);
        assertThat(optionalText).contains("auth -\ntlsoptional true\n").doesNotContain("requiretls");
        assertThat(EnvelopeCodec.decode(optionalText.getBytes(StandardCharsets.UTF_8))).isEqualTo(optional)
                .matches(Envelope::tlsOptional).matches(e -> !e.requireTls());
        assertThatThrownBy(() -> EnvelopeCodec.decode(optionalText.replace("tlsoptional true", "tlsoptional no")
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> EnvelopeCodec.decode((text + "requiretls true\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }

    /** A queue file written before RFC 8689 was supported, byte for byte: it reads with neither request. */
    @Example
    void anEnvelopeWrittenBeforeRequireTlsReadsWithoutIt() throws IOException {
        String old = "tern-envelope 1\nreceived 2026-01-02T03:04:05Z\nsender alice example.org\n"
                + "body EIGHT_BIT_MIME\nsmtputf8 false\nret FULL\nenvid QQ314159\nhelo mx.example.org\n"
                + "client 203.0.113.9\nauth -\ntrusted true\nrcpt bob example.com SUCCESS,FAILURE -\n";
        Envelope e = EnvelopeCodec.decode(old.getBytes(StandardCharsets.UTF_8));
        assertThat(e.requireTls()).isFalse();
        assertThat(e.tlsOptional()).isFalse();
        assertThat(e.trusted()).isTrue();
        assertThat(e.recipients()).hasSize(1);
        assertThat(new String(EnvelopeCodec.encode(e), StandardCharsets.UTF_8)).isEqualTo(old);
    }

    /** RFC 8689 §4.1: with REQUIRETLS given, TLS-Required: No is ignored; an envelope never holds both. */
    @Example
    void requireTlsWinsOverTlsOptional() throws IOException {
        Envelope plain = Envelopes.of(Instant.EPOCH, "a@b.example", "c@d.example");
        assertThat(plain.withTlsOptional(true).withRequireTls(true).tlsOptional()).isFalse();
        assertThat(plain.withRequireTls(true).withTlsOptional(true).tlsOptional()).isFalse();
        String both = new String(EnvelopeCodec.encode(plain), StandardCharsets.UTF_8)
                .replace("auth -\n", "auth -\nrequiretls true\ntlsoptional true\n");
        Envelope read = EnvelopeCodec.decode(both.getBytes(StandardCharsets.UTF_8));
        assertThat(read.requireTls()).isTrue();
        assertThat(read.tlsOptional()).isFalse();
    }

    @Example
    void unknownVersionOrFieldIsRefused() {
        byte[] good = EnvelopeCodec.encode(Envelopes.of(Instant.EPOCH, "a@b.example", "c@d.example"));
        String text = new String(good, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EnvelopeCodec.decode(text.replace("tern-envelope 1", "tern-envelope 2")
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> EnvelopeCodec.decode((text + "color blue\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> EnvelopeCodec.decode(text.replace("helo client.example\n", "")
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> EnvelopeCodec.decode(text.replace("received ", "received %Z")
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
    }

    @Provide
    Arbitrary<Envelope> envelopes() {
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> nullableText = anyText.injectNull(0.2);
        Arbitrary<Instant> instants = Arbitraries.longs().between(0, 4_102_444_800_000_000_000L)
                .map(n -> Instant.ofEpochSecond(n / 1_000_000_000L, n % 1_000_000_000L)).injectNull(0.05);
        return Combinators.combine(sender(), recipients(), Arbitraries.of(Envelope.BodyType.class).injectNull(0.1),
                        Arbitraries.of(true, false), Arbitraries.of(Envelope.Ret.class).injectNull(0.3),
                        nullableText, nullableText, nullableText)
                .flatAs((s, r, body, utf8, ret, envid, helo, client) -> Combinators.combine(nullableText,
                                Arbitraries.of(true, false), instants, Arbitraries.of(true, false),
                                Arbitraries.of(true, false))
                        .as((auth, trusted, at, requireTls, tlsOptional) -> new Envelope(s, r, body, utf8, ret,
                                envid, helo, client, auth, trusted, at, requireTls, tlsOptional)));
    }

    private Arbitrary<Address> address() {
        Arbitrary<String> part = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(30);
        return Combinators.combine(part, part).as((local, domain) -> new Address(local, Domain.of(domain)));
    }

    private Arbitrary<Address> sender() {
        return Arbitraries.oneOf(address(), Arbitraries.just(Address.NULL));
    }

    private Arbitrary<List<Recipient>> recipients() {
        Arbitrary<Set<Recipient.Notify>> notify = Arbitraries.of(Recipient.Notify.class).set();
        Arbitrary<String> orcpt = Arbitraries.strings().all().ofMaxLength(30).injectNull(0.5);
        return Combinators.combine(address(), notify, orcpt).as(Recipient::new).list().ofMaxSize(5);
    }
}
