package dev.tern.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import dev.tern.srs.Srs;
import dev.tern.store.FileDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forwarding with a real directory, a recording forwarder and an inner courier that answers as told. */
class ForwardingCourierTest {

    private static final String HASH = "$argon2id$v=19$m=256,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
    private static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");
    private static final byte[] CONTENT = "DKIM-Signature: v=1; d=sender.example\r\nSubject: hi\r\n\r\nbody\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    private FileDirectory directory;
    private final Srs srs = new Srs(List.of("forwarding-test-secret"), Domain.of("example.com"), 21,
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final List<Envelope> forwarded = new ArrayList<>();
    private final List<byte[]> copies = new ArrayList<>();
    private final List<List<String>> innerCalls = new ArrayList<>();
    private Outcome.Status innerAnswer = Outcome.Status.DELIVERED;
    private boolean forwarderFails;

    private final Forwarder forwarder = (parcel, envelope) -> {
        if (forwarderFails) {
            throw new IOException("disk full");
        }
        try (InputStream in = parcel.content().open()) {
            copies.add(in.readAllBytes());
        }
        forwarded.add(envelope);
        return "COPY" + forwarded.size();
    };
    private final Courier inner = parcel -> {
        innerCalls.add(parcel.recipients().stream().map(r -> r.address().toString()).toList());
        return parcel.recipients().stream().map(r -> new Outcome(r, innerAnswer, "2.0.0", "x", "box")).toList();
    };

    @BeforeEach
    void setUp() throws Exception {
        directory = new FileDirectory(dir, List.of("example.com"));
        directory.addUser("alice@example.com", HASH);
        directory.addAlias("away@example.com", List.of("carol@elsewhere.example", "dave@far.example"));
        directory.addAlias("mixed@example.com", List.of("alice@example.com", "carol@elsewhere.example"));
    }

    private ForwardingCourier courier(Srs codec) {
        return new ForwardingCourier(directory, codec, forwarder, inner, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static Address address(String text) {
        try {
            return Address.parseMailbox(text, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Parcel parcel(String sender, String... recipients) {
        List<Recipient> rcpts = Arrays.stream(recipients).map(r -> new Recipient(address(r),
                Set.of(Recipient.Notify.FAILURE), null)).toList();
        Envelope e = new Envelope(sender.isEmpty() ? Address.NULL : address(sender), rcpts,
                Envelope.BodyType.EIGHT_BIT_MIME, false, Envelope.Ret.HDRS, "env-1", "c.example", "192.0.2.1", null,
                NOW.minusSeconds(60));
        return new Parcel(new QueueId("ABCDEF123456"), e, rcpts, new Parcel.Content() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(CONTENT);
            }

            @Override
            public long size() {
                return CONTENT.length;
            }
        });
    }

    @Test
    void anAliasToOtherDomainsIsQueuedAsOneCopyWithAnSrsSenderAndTheContentUnchanged() {
        List<Outcome> outcomes = courier(srs).deliver(parcel("bob@sender.example", "away@example.com",
                "alice@example.com"));

        assertThat(innerCalls).containsExactly(List.of("alice@example.com"));
        assertThat(outcomes).extracting(Outcome::status).containsOnly(Outcome.Status.DELIVERED);
        assertThat(outcomes.get(0).where()).isEqualTo("forwarded:COPY1");
        Envelope copy = forwarded.get(0);
        assertThat(copy.sender().toString()).startsWith("SRS0=").endsWith("=sender.example=bob@example.com");
        assertThat(srs.reverse(copy.sender(), true)).isEqualTo(new Srs.Valid(address("bob@sender.example")));
        assertThat(copy.recipients()).extracting(r -> r.address().toString())
                .containsExactly("carol@elsewhere.example", "dave@far.example");
        assertThat(copy.recipients().get(0).orcpt()).isEqualTo("rfc822;away@example.com");
        assertThat(copy.recipients().get(0).notifyOn()).containsExactly(Recipient.Notify.FAILURE);
        assertThat(copy.ret()).isEqualTo(Envelope.Ret.HDRS);
        assertThat(copy.envid()).isEqualTo("env-1");
        assertThat(copy.authUser()).isNull();
        assertThat(copies.get(0)).isEqualTo(CONTENT);
    }

    @Test
    void theNullSenderAndOurOwnSendersAreNotRewrittenNorIsAnyoneWithoutSrs() {
        courier(srs).deliver(parcel("", "away@example.com"));
        courier(srs).deliver(parcel("alice@example.com", "away@example.com"));
        courier(null).deliver(parcel("bob@sender.example", "away@example.com"));

        assertThat(forwarded).extracting(e -> e.sender().toString())
                .containsExactly("", "alice@example.com", "bob@sender.example");
    }

    @Test
    void theLocalUsersOfAnAliasComeFirstAndTheCopyOnlyOnceTheyHaveIt() {
        innerAnswer = Outcome.Status.DEFERRED;
        List<Outcome> first = courier(srs).deliver(parcel("bob@sender.example", "mixed@example.com"));

        assertThat(first).extracting(Outcome::status).containsExactly(Outcome.Status.DEFERRED);
        assertThat(forwarded).isEmpty();

        innerAnswer = Outcome.Status.DELIVERED;
        List<Outcome> second = courier(srs).deliver(parcel("bob@sender.example", "mixed@example.com"));
        assertThat(second.get(0).status()).isEqualTo(Outcome.Status.DELIVERED);
        assertThat(second.get(0).where()).isEqualTo("forwarded:COPY1,box");
        assertThat(forwarded).hasSize(1);
    }

    @Test
    void aCopyThatCannotBeQueuedLeavesTheRecipientDeferred() {
        forwarderFails = true;
        List<Outcome> outcomes = courier(srs).deliver(parcel("bob@sender.example", "away@example.com"));

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Outcome.Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.3.0");
            assertThat(o.detail()).doesNotContain("disk");
        });
    }

    @Test
    void aBounceToOurSrsAddressGoesToTheOriginalSenderAndAForgedOneFails() {
        String srsAddress = srs.forward(address("bob@sender.example")).toString();
        String forged = srsAddress.replace("=bob@", "=eve@");

        List<Outcome> outcomes = courier(srs).deliver(parcel("", srsAddress, forged));

        assertThat(innerCalls).isEmpty();
        assertThat(outcomes.get(0).status()).isEqualTo(Outcome.Status.DELIVERED);
        assertThat(outcomes.get(1).status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(outcomes.get(1).enhancedCode()).isEqualTo("5.1.1");
        assertThat(forwarded).singleElement().satisfies(e -> {
            assertThat(e.sender().isNull()).isTrue();
            assertThat(e.recipients()).extracting(r -> r.address().toString()).containsExactly("bob@sender.example");
            assertThat(e.recipients().get(0).orcpt()).isEqualTo("rfc822;" + srsAddress.replace("=", "+3D"));
        });
    }

    @Test
    void everythingElseGoesToTheInnerCourierAsItCame() {
        Parcel parcel = parcel("bob@sender.example", "alice@example.com", "someone@remote.example");

        assertThat(courier(srs).deliver(parcel)).hasSize(2);

        assertThat(innerCalls).containsExactly(List.of("alice@example.com", "someone@remote.example"));
        assertThat(forwarded).isEmpty();
    }
}
