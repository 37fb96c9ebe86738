package dev.tern.delivery.lmtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.LmtpSettings;
import dev.tern.delivery.Outcome;
import dev.tern.delivery.Parcel;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import dev.tern.store.FileDirectory;
import dev.tern.testdovecot.Dovecot;
import dev.tern.testdovecot.Imap;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LMTP courier and the RCPT-time probe against a real Dovecot (Debian's dovecot-lmtpd, dovecot-imapd,
 * dovecot-sieve), over its Unix socket and over TCP; what was delivered is read back over IMAP.
 */
class LmtpDovecotIT {

    /** Dot-stuffing, 8-bit text and a long line all reach the mailbox unchanged. */
    private static final String BODY = ".a line that starts with a dot\r\n..and one with two\r\nGrüße, ünïcödé\r\n"
            + "x".repeat(900) + "\r\n.\r\nend\r\n";
    /** Over the 1K quota of the user "small" once stored. */
    private static final int QUOTA_OCTETS = 1024;

    @TempDir
    static Path dir;
    private static Dovecot dovecot;
    private static FileDirectory directory;

    @BeforeAll
    static void start() throws Exception {
        dovecot = Dovecot.start(dir.resolve("dovecot"), List.of(
                new Dovecot.User("alice", null, 0), new Dovecot.User("bob", null, 0),
                new Dovecot.User("carol", null, 0), new Dovecot.User("small", "1K", 0),
                new Dovecot.User("full", "1K", 4096)));
        // Tern's directory knows alice and bob and an alias; carol, small and full live in Dovecot only.
        directory = new FileDirectory(dir.resolve("tern"), List.of(Dovecot.domain()));
        directory.addUser(Dovecot.address("alice"), "unused");
        directory.addUser(Dovecot.address("bob"), "unused");
        directory.addAlias(Dovecot.address("team"), List.of(Dovecot.address("alice"), Dovecot.address("bob")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    private static LmtpSettings overSocket() {
        return LmtpSettings.defaults().withSocket(dovecot.lmtpSocket(), List.of());
    }

    private static LmtpSettings overTcp() {
        return LmtpSettings.defaults().withAddress("127.0.0.1", dovecot.lmtpPort(), List.of());
    }

    @Test
    void aMessageDeliveredOverTheSocketIsReadBackOverImapByteForByte() throws Exception {
        byte[] content = message("over the socket");
        List<Outcome> outcomes = courier(overSocket()).deliver(parcel(content, "carol"));

        assertThat(outcomes).extracting(Outcome::status).containsExactly(Outcome.Status.DELIVERED);
        assertStoredOnce("carol", "INBOX", "over the socket", content);
    }

    @Test
    void overTcpAnAliasReachesEachUserOnce() throws Exception {
        byte[] content = message("over tcp to the team");
        List<Outcome> outcomes = courier(overTcp()).deliver(parcel(content, "team", "alice"));

        assertThat(outcomes).extracting(Outcome::status)
                .containsExactly(Outcome.Status.DELIVERED, Outcome.Status.DELIVERED);
        assertThat(outcomes.get(0).where()).isEqualTo(Dovecot.address("alice") + "," + Dovecot.address("bob"));
        assertStoredOnce("alice", "INBOX", "over tcp to the team", content);
        assertStoredOnce("bob", "INBOX", "over tcp to the team", content);
    }

    @Test
    void theSieveRuleFilesTheMessageIntoItsFolder() throws Exception {
        byte[] content = message("news " + Dovecot.SIEVE_TAG);
        assertThat(courier(overSocket()).deliver(parcel(content, "bob")))
                .extracting(Outcome::status).containsExactly(Outcome.Status.DELIVERED);

        assertStoredOnce("bob", Dovecot.SIEVE_FOLDER, "news " + Dovecot.SIEVE_TAG, content);
        try (Imap imap = Imap.login(dovecot.imapPort(), Dovecot.address("bob"), "secret")) {
            int inbox = imap.select("INBOX");
            for (int i = 1; i <= inbox; i++) {
                assertThat(new String(imap.fetch(i), StandardCharsets.UTF_8)).doesNotContain(Dovecot.SIEVE_TAG);
            }
        }
    }

    @Test
    void aMailboxOverQuotaDefersThatRecipientOnlyWithTheServersCode() throws Exception {
        byte[] content = message("big " + "y".repeat(QUOTA_OCTETS));
        List<Outcome> outcomes = courier(overSocket()).deliver(parcel(content, "small", "carol"));

        assertThat(outcomes.get(0).status()).isEqualTo(Outcome.Status.DEFERRED);
        assertThat(outcomes.get(0).enhancedCode()).isEqualTo("4.2.2");
        assertThat(outcomes.get(0).detail()).startsWith("452 lmtp:unix:");
        assertThat(outcomes.get(1).status()).isEqualTo(Outcome.Status.DELIVERED);
        assertStoredOnce("carol", "INBOX", "big ", content);
    }

    @Test
    void anUnknownUserFailsWith511AndTheOthersAreDelivered() throws Exception {
        byte[] content = message("to a stranger");
        List<Outcome> outcomes = courier(overTcp()).deliver(parcel(content, "stranger", "carol"));

        assertThat(outcomes).extracting(Outcome::status)
                .containsExactly(Outcome.Status.FAILED, Outcome.Status.DELIVERED);
        assertThat(outcomes.get(0).enhancedCode()).isEqualTo("5.1.1");
        assertThat(outcomes.get(0).detail()).contains("in reply to RCPT TO");
        assertStoredOnce("carol", "INBOX", "to a stranger", content);
    }

    @Test
    void theProbeTellsExistingUnknownAndFullMailboxesApart() {
        try (LmtpProbe probe = new LmtpProbe(overSocket().withRcptCheck(true), "mx.tern.test", directory)) {
            for (int round = 0; round < 2; round++) { // the second round runs on the kept connection
                assertThat(probe.check(address("alice")).kind()).isEqualTo(LmtpProbe.Kind.EXISTS);
                assertThat(probe.check(address("carol")).kind()).isEqualTo(LmtpProbe.Kind.EXISTS);
                assertThat(probe.check(address("team")).kind()).isEqualTo(LmtpProbe.Kind.EXISTS);
                LmtpProbe.Answer unknown = probe.check(address("stranger"));
                assertThat(unknown.kind()).isEqualTo(LmtpProbe.Kind.UNKNOWN);
                assertThat(unknown.reason()).startsWith("550 5.1.1");
                LmtpProbe.Answer full = probe.check(address("full"));
                assertThat(full.kind()).isEqualTo(LmtpProbe.Kind.FULL);
                assertThat(full.reason()).startsWith("452 4.2.2");
            }
            Address elsewhere = new Address("alice", Domain.of("other.test"));
            LmtpSettings onlyOther = overSocket().withSocket(dovecot.lmtpSocket(), List.of("other.test"));
            try (LmtpProbe narrow = new LmtpProbe(onlyOther.withRcptCheck(true), "mx.tern.test", directory)) {
                assertThat(narrow.check(address("alice")).kind()).isEqualTo(LmtpProbe.Kind.NOT_SERVED);
                assertThat(narrow.check(elsewhere).kind()).isEqualTo(LmtpProbe.Kind.UNKNOWN);
            }
        }
    }

    @Test
    void aServerThatIsNotThereDefersAndTheProbeSaysUnavailable() {
        LmtpSettings nowhere = LmtpSettings.defaults().withSocket(dir.resolve("no-such-socket"), List.of());
        List<Outcome> outcomes = courier(nowhere).deliver(parcel(message("lost"), "carol"));
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Outcome.Status.DEFERRED);
            assertThat(o.enhancedCode()).isEqualTo("4.4.1");
        });
        try (LmtpProbe probe = new LmtpProbe(nowhere.withRcptCheck(true), "mx.tern.test", directory)) {
            assertThat(probe.check(address("carol")).kind()).isEqualTo(LmtpProbe.Kind.UNAVAILABLE);
        }
    }

    private static LmtpCourier courier(LmtpSettings settings) {
        return new LmtpCourier(settings, "mx.tern.test", directory);
    }

    /** The message is in {@code folder} exactly once, stored as sent behind Dovecot's own trace fields. */
    private static void assertStoredOnce(String user, String folder, String subject, byte[] content)
            throws Exception {
        try (Imap imap = Imap.login(dovecot.imapPort(), Dovecot.address(user), "secret")) {
            int count = imap.select(folder);
            int found = 0;
            for (int i = 1; i <= count; i++) {
                byte[] stored = imap.fetch(i);
                if (!new String(stored, StandardCharsets.UTF_8).contains("Subject: " + subject)) {
                    continue;
                }
                found++;
                assertThat(endsWith(stored, content)).as("stored message ends with the content as sent").isTrue();
                String added = new String(stored, 0, stored.length - content.length, StandardCharsets.UTF_8);
                // RFC 5321 §4.4: the delivering server adds Return-Path (and its Received); nothing else changes.
                assertThat(added).matches(Pattern.compile(
                        "((Return-Path|Delivered-To|Received): [^\r\n]*\r\n([ \t][^\r\n]*\r\n)*)*", Pattern.DOTALL));
                assertThat(added).contains("Return-Path: <sender@example.net>\r\n");
            }
            assertThat(found).as("copies of '%s' in %s of %s", subject, folder, user).isEqualTo(1);
        }
    }

    private static boolean endsWith(byte[] stored, byte[] content) {
        return stored.length >= content.length
                && Arrays.equals(stored, stored.length - content.length, stored.length, content, 0, content.length);
    }

    private static byte[] message(String subject) {
        return ("Received: from client.example.net by mx.tern.test\r\nFrom: <sender@example.net>\r\n"
                + "Subject: " + subject + "\r\nMessage-ID: <" + System.nanoTime() + "@example.net>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n" + BODY).getBytes(StandardCharsets.UTF_8);
    }

    private static Address address(String local) {
        return new Address(local, Domain.of(Dovecot.domain()));
    }

    private static Parcel parcel(byte[] content, String... locals) {
        List<Recipient> rcpts = Arrays.stream(locals).map(l -> Recipient.of(address(l))).toList();
        Envelope e = new Envelope(new Address("sender", Domain.of("example.net")), rcpts,
                Envelope.BodyType.EIGHT_BIT_MIME, false, null, null, "client.example.net", "192.0.2.1", null,
                Instant.now());
        return new Parcel(new QueueId("ABCDEF123456"), e, rcpts, new Parcel.Content() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(content);
            }

            @Override
            public long size() {
                return content.length;
            }
        });
    }
}
