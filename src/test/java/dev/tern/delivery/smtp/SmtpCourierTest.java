package dev.tern.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.delivery.Outcome;
import dev.tern.delivery.Outcome.Status;
import dev.tern.delivery.Parcel;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import dev.tern.testsmtp.ScriptedPeer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transaction against a scripted peer: pipelining, replies per recipient, DATA and BDAT, parameters. */
class SmtpCourierTest {

    private final CourierFixture world = new CourierFixture();
    private final ScriptedPeer peer = world.peer;

    SmtpCourierTest() throws IOException {
    }

    @AfterEach
    void close() throws Exception {
        world.close();
    }

    @Test
    void deliversWithPipeliningInOneWrite() throws Exception {
        peer.strictPipelining = true; // MAIL and RCPT replies come only after DATA: a lock-step client would hang
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@example.test", "carol@example.test"));

        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED, Status.DELIVERED);
        assertThat(outcomes.get(0).where()).isEqualTo("mx1.example.test[127.0.0.1]:" + peer.port());
        assertThat(outcomes.get(0).detail()).contains("250 2.0.0 Ok: queued as PEER1");
        ScriptedPeer.Session s = peer.only();
        assertThat(s.commands).containsExactly("EHLO client.test",
                "MAIL FROM:<alice@here.test> SIZE=" + Parcels.CONTENT.length() + " BODY=8BITMIME",
                "RCPT TO:<bob@example.test>", "RCPT TO:<carol@example.test>", "DATA", "QUIT");
        assertThat(s.message(0)).isEqualTo(Parcels.CONTENT); // dot-stuffed on the wire, unstuffed by the peer
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
        peer.extensions("8BITMIME");
        List<Outcome> outcomes = world.deliver(Parcels.of("", "bob@example.test"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().commands).containsExactly("EHLO client.test", "MAIL FROM:<> BODY=8BITMIME",
                "RCPT TO:<bob@example.test>", "DATA", "QUIT");
    }

    @Test
    void aTemporaryRefusalAtTheEndOfDataDefers() throws Exception {
        peer.on(".", "451 4.3.0 Try again later");
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@example.test"));
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.3.0");
            assertThat(o.detail()).contains("451 4.3.0 Try again later").contains("end of data");
        });
    }

    @Test
    void aTemporaryRefusalOfMailFromDefersWithTheRemoteReply() throws Exception {
        peer.on("MAIL", "451 4.7.1 Greylisted, come back later");
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@example.test"));
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.7.1");
            assertThat(o.detail()).contains("Greylisted");
            assertThat(o.where()).startsWith("mx1.example.test[127.0.0.1]");
        });
    }

    @Test
    void aRefusedRecipientFailsAloneAndTheOthersGetTheMessage() throws Exception {
        peer.on("RCPT TO:<bob@", "550 5.1.1 <bob@example.test>: no such user");
        peer.on("RCPT TO:<dave@", "452 4.2.2 mailbox full");
        List<Outcome> outcomes = world.deliver(
                Parcels.of("alice@here.test", "bob@example.test", "carol@example.test", "dave@example.test"));

        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.FAILED, Status.DELIVERED,
                Status.DEFERRED);
        assertThat(outcomes.get(0).enhancedCode()).isEqualTo("5.1.1");
        assertThat(outcomes.get(0).detail()).contains("no such user").contains("RCPT TO");
        assertThat(outcomes.get(2).enhancedCode()).isEqualTo("4.2.2");
        assertThat(peer.only().messages).hasSize(1);
    }

    @Test
    void whenEveryRecipientIsRefusedNoMessageIsSent() throws Exception {
        peer.on("RCPT", "550 5.1.1 no such user");
        peer.on("DATA", "554 5.5.1 no valid recipients");
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@example.test"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.FAILED);
        assertThat(peer.only().messages).isEmpty();
        assertThat(peer.only().commands).contains("RSET");
    }

    @Test
    void aPermanentRefusalAtTheEndOfDataFailsEveryAcceptedRecipient() throws Exception {
        peer.on(".", "552 5.3.4 Message too big for this mailbox");
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@example.test", "carol@example.test"));
        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(Status.FAILED);
            assertThat(o.enhancedCode()).isEqualTo("5.3.4");
            assertThat(o.detail()).contains("552 5.3.4 Message too big");
        });
    }

    @Test
    void aReplyWithoutEnhancedCodeGetsTheClassDefault() throws Exception {
        peer.on("RCPT", "550 nobody here");
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@example.test"));
        assertThat(outcomes.get(0).enhancedCode()).isEqualTo("5.0.0");
    }

    @Test
    void aServerThatRefusesEhloGetsHelo() throws Exception {
        peer.ehloRefused = true;
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@example.test"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().commands).startsWith("EHLO client.test", "HELO client.test",
                "MAIL FROM:<alice@here.test>"); // no SIZE or BODY: HELO means no extensions
    }

    @Test
    void aMessageLargerThanTheServersSizeFailsWithoutBeingSent() throws Exception {
        peer.extensions("PIPELINING", "SIZE 20");
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@example.test"));
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.FAILED);
            assertThat(o.enhancedCode()).isEqualTo("5.3.4");
            assertThat(o.detail()).contains("exceeds the size limit 20");
        });
        assertThat(peer.only().commands).noneMatch(c -> c.startsWith("MAIL"));
    }

    @Test
    void anInternationalizedMessageNeedsSmtputf8AtTheServer() throws Exception {
        Envelope e = Parcels.envelope("alice@here.test", List.of(Recipient.of(Parcels.address("jörg@example.test"))),
                true);
        List<Outcome> outcomes = world.deliver(Parcels.of(e, Parcels.CONTENT.getBytes(StandardCharsets.UTF_8)));
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.FAILED);
            assertThat(o.enhancedCode()).isEqualTo("5.6.7");
            assertThat(o.detail()).contains("does not support SMTPUTF8");
        });
        assertThat(peer.only().commands).noneMatch(c -> c.startsWith("MAIL"));
    }

    @Test
    void smtputf8IsPassedOnWhenTheServerHasIt() throws Exception {
        peer.extensions("PIPELINING", "SMTPUTF8", "8BITMIME");
        Envelope e = Parcels.envelope("alice@here.test", List.of(Recipient.of(Parcels.address("jörg@bücher.test"))),
                true);
        world.dns.add("xn--bcher-kva.test", "MX", "10 mx1.example.test.");
        List<Outcome> outcomes = world.deliver(Parcels.of(e, Parcels.CONTENT.getBytes(StandardCharsets.UTF_8)));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().commands).contains("MAIL FROM:<alice@here.test> BODY=8BITMIME SMTPUTF8",
                "RCPT TO:<jörg@bücher.test>");
    }

    @Test
    void withoutSmtputf8TheDomainGoesInALabels() throws Exception {
        world.dns.add("xn--bcher-kva.test", "MX", "10 mx1.example.test.");
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@bücher.test"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().commands).contains("RCPT TO:<bob@xn--bcher-kva.test>");
    }

    @Test
    void dsnParametersArePassedOnWhenTheServerOffersDsn() throws Exception {
        peer.extensions("PIPELINING", "DSN");
        Recipient bob = new Recipient(Parcels.address("bob@example.test"),
                Set.of(Recipient.Notify.FAILURE, Recipient.Notify.SUCCESS), "rfc822;bob@example.test");
        Envelope e = new Envelope(Parcels.address("alice@here.test"), List.of(bob), Envelope.BodyType.SEVEN_BIT,
                false, Envelope.Ret.HDRS, "QQ+2Bid", "client.example", "192.0.2.1", null, java.time.Instant.now());
        List<Outcome> outcomes = world.deliver(Parcels.of(e, Parcels.CONTENT.getBytes(StandardCharsets.UTF_8)));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().commands).contains("MAIL FROM:<alice@here.test> RET=HDRS ENVID=QQ+2Bid",
                "RCPT TO:<bob@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.test");
    }

    @Test
    void dsnParametersAreLeftOutWhenTheServerLacksDsn() throws Exception {
        Recipient bob = new Recipient(Parcels.address("bob@example.test"), Set.of(Recipient.Notify.NEVER), null);
        Envelope e = new Envelope(Parcels.address("alice@here.test"), List.of(bob), Envelope.BodyType.SEVEN_BIT,
                false, Envelope.Ret.FULL, "id1", "client.example", "192.0.2.1", null, java.time.Instant.now());
        world.deliver(Parcels.of(e, Parcels.CONTENT.getBytes(StandardCharsets.UTF_8)));
        assertThat(peer.only().commands).contains("MAIL FROM:<alice@here.test> SIZE=" + Parcels.CONTENT.length(),
                "RCPT TO:<bob@example.test>");
    }

    @Test
    void chunkingSendsTheExactOctetsWithBdat() throws Exception {
        peer.extensions("PIPELINING", "CHUNKING", "8BITMIME");
        byte[] content = new byte[MailTransaction.CHUNK * 2 + 1000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i % 80 == 79 ? '\n' : i % 80 == 78 ? '\r' : i % 80 == 0 ? '.' : 'a' + i % 26);
        }
        Parcel parcel = Parcels.of(Parcels.envelope("alice@here.test",
                List.of(Recipient.of(Parcels.address("bob@example.test"))), false), content);
        List<Outcome> outcomes = world.deliver(parcel);
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.only().commands).filteredOn(c -> c.startsWith("BDAT")).containsExactly(
                "BDAT " + MailTransaction.CHUNK, "BDAT " + MailTransaction.CHUNK, "BDAT 1000 LAST");
        assertThat(peer.only().messages.get(0)).isEqualTo(content);
    }

    @Test
    void moreThanAHundredRecipientsGoInSeveralTransactionsOnOneConnection() throws Exception {
        String[] recipients = IntStream.range(0, 150).mapToObj(i -> "user" + i + "@example.test")
                .toArray(String[]::new);
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", recipients));
        assertThat(outcomes).hasSize(150).allMatch(o -> o.status() == Status.DELIVERED);
        assertThat(outcomes.get(149).recipient().address().toString()).isEqualTo("user149@example.test");
        ScriptedPeer.Session s = peer.only();
        assertThat(s.commands).filteredOn(c -> c.startsWith("MAIL")).hasSize(2);
        assertThat(s.commands).filteredOn(c -> c.startsWith("RCPT")).hasSize(150);
        assertThat(s.messages).hasSize(2);
    }

    @Test
    void anIdleConnectionCarriesTheNextMessageAfterRset() throws Exception {
        world.settings = world.settings.withConcurrency(10, 5, Duration.ofMinutes(1));
        SmtpCourier courier = world.courier();
        courier.deliver(Parcels.of("alice@here.test", "bob@example.test"));
        List<Outcome> second = courier.deliver(Parcels.of("alice@here.test", "carol@example.test"));
        assertThat(second).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(courier.openConnections()).isEqualTo(1);
        courier.close();
        assertThat(courier.openConnections()).isZero();

        ScriptedPeer.Session s = peer.only();
        assertThat(s.messages).hasSize(2);
        assertThat(s.commands).containsSubsequence("RCPT TO:<bob@example.test>", "RSET", "RCPT TO:<carol@example.test>",
                "QUIT");
    }

    @Test
    void aDeadIdleConnectionIsReplacedByANewOne() throws Exception {
        world.settings = world.settings.withConcurrency(10, 5, Duration.ofMinutes(1));
        SmtpCourier courier = world.courier();
        courier.deliver(Parcels.of("alice@here.test", "bob@example.test"));
        peer.once("RSET", "421 4.4.2 idle too long, closing");
        List<Outcome> second = courier.deliver(Parcels.of("alice@here.test", "carol@example.test"));
        assertThat(second).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(peer.sessions()).hasSize(2);
    }

    @Test
    void recipientsOfSeveralDomainsGetOneTransactionEachAndOutcomesInOrder() throws Exception {
        world.dns.add("other.test", "MX", "10 mx1.example.test.");
        peer.on("RCPT TO:<x@other", "550 5.1.1 unknown");
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "x@other.test", "bob@example.test",
                "y@other.test"));
        assertThat(outcomes).extracting(o -> o.recipient().address().toString() + " " + o.status())
                .containsExactly("x@other.test FAILED", "bob@example.test DELIVERED", "y@other.test DELIVERED");
        assertThat(peer.sessions()).hasSize(2);
    }

    @Test
    void anUnexpectedErrorDefersAndIsNotThrown() throws Exception {
        Parcel.Content broken = new Parcel.Content() {
            @Override
            public InputStream open() {
                throw new IllegalStateException("boom");
            }

            @Override
            public long size() {
                return 10;
            }
        };
        Envelope e = Parcels.envelope("alice@here.test", List.of(Recipient.of(Parcels.address("bob@example.test"))),
                false);
        SmtpCourier courier = world.courier();
        List<Outcome> outcomes = courier.deliver(new Parcel(QueueId.next(), e, e.recipients(), broken));
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.3.0");
        });
        assertThat(courier.openConnections()).isZero();
    }

    @Test
    void aConfiguredRouteBypassesTheMxRecords() throws Exception {
        world.settings = world.settings.withRoutes(List.of(
                new dev.tern.config.DeliverySettings.DomainRoute("routed.test", "127.0.0.1", peer.port(), null)));
        List<Outcome> outcomes = world.deliver(Parcels.of("alice@here.test", "bob@routed.test"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Status.DELIVERED);
        assertThat(outcomes.get(0).where()).isEqualTo("127.0.0.1[127.0.0.1]:" + peer.port());
    }

    @Test
    void connectionsToOneDestinationStayWithinTheLimit() throws Exception {
        world.settings = world.settings.withConcurrency(10, 1, Duration.ZERO);
        SmtpCourier courier = world.courier();
        List<Thread> threads = new ArrayList<>();
        List<List<Outcome>> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofVirtual().start(() -> results.add(courier.deliver(
                    Parcels.of("alice@here.test", "bob@example.test")))));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(results).hasSize(4).allSatisfy(r -> assertThat(r.get(0).status()).isEqualTo(Status.DELIVERED));
        assertThat(peer.sessions()).hasSize(4);
        assertThat(peer.mostActive()).isEqualTo(1);
        assertThat(courier.openConnections()).isZero();
    }

    @Test
    void aServerThatNeverGreetsIsGivenUpAfterTheCommandTimeout() throws Exception {
        peer.greeting = null;
        world.settings = world.settings.withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
        SmtpCourier courier = world.courier();
        List<Outcome> outcomes = courier.deliver(Parcels.of("alice@here.test", "bob@example.test"));
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.4.2");
            assertThat(o.detail()).contains("lost connection with mx1.example.test[127.0.0.1]").contains("timed out");
        });
        assertThat(courier.openConnections()).isZero();
    }
}
