package dev.tern.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import dev.tern.store.Directory;
import dev.tern.store.MailboxStore;
import dev.tern.store.MaildirStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCourierTest {

    private static final byte[] CONTENT = "Received: from x\r\nSubject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8);

    private final FakeDirectory directory = new FakeDirectory()
            .user("bob@example.com", "bob@example.com")
            .user("carol@example.com", "carol@example.com")
            .user("team@example.com", "bob@example.com", "carol@example.com");
    private final RecordingStore store = new RecordingStore();
    private final LocalCourier courier = new LocalCourier(directory, store);

    @Test
    void unknownRecipientFailsPermanently() {
        List<Outcome> outcomes = courier.deliver(parcel("alice@example.org", "nobody@example.com"));
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Outcome.Status.FAILED);
            assertThat(o.enhancedCode()).isEqualTo("5.1.1");
            assertThat(o.detail()).isEqualTo("no such user");
        });
        assertThat(store.stored).isEmpty();
    }

    @Test
    void prefixesReturnPathAndDeliveredToBeforeTheContent() {
        List<Outcome> outcomes = courier.deliver(parcel("alice@example.org", "bob@example.com"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Outcome.Status.DELIVERED);
        assertThat(store.stored).containsExactly(Map.entry("bob@example.com",
                "Return-Path: <alice@example.org>\r\nDelivered-To: bob@example.com\r\n" + new String(CONTENT)));
        assertThat(outcomes.get(0).where()).isEqualTo("box/bob@example.com");
    }

    @Test
    void nullSenderGivesAnEmptyReturnPath() {
        courier.deliver(parcel("", "bob@example.com"));
        assertThat(store.stored.get(0).getValue()).startsWith("Return-Path: <>\r\nDelivered-To: bob@example.com\r\n");
    }

    @Test
    void eachUserGetsOneCopyWhateverReachesIt() {
        List<Outcome> outcomes = courier.deliver(parcel("alice@example.org",
                "team@example.com", "bob@example.com", "carol@example.com"));
        assertThat(outcomes).extracting(Outcome::status).containsOnly(Outcome.Status.DELIVERED);
        assertThat(store.stored).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("bob@example.com", "carol@example.com");
    }

    @Test
    void storageErrorsAreTemporaryAndAFullDiskSaysSo() {
        store.failures.put("bob@example.com", new IOException("Input/output error"));
        store.failures.put("carol@example.com", new IOException("/data/mail: No space left on device"));
        List<Outcome> outcomes = courier.deliver(parcel("alice@example.org", "bob@example.com", "carol@example.com"));
        assertThat(outcomes).extracting(Outcome::status)
                .containsExactly(Outcome.Status.DEFERRED, Outcome.Status.DEFERRED);
        assertThat(outcomes).extracting(Outcome::enhancedCode).containsExactly("4.3.0", "4.3.1");
        assertThat(outcomes).extracting(Outcome::detail).noneMatch(d -> d.contains("/data"));
    }

    @Test
    void aMailboxOverItsQuotaDefersThatRecipientOnlyWithMailboxFull() {
        store.failures.put("bob@example.com", new dev.tern.store.QuotaExceededException("bob is over quota"));
        List<Outcome> outcomes = courier.deliver(parcel("alice@example.org", "bob@example.com", "carol@example.com"));
        assertThat(outcomes).extracting(Outcome::status)
                .containsExactly(Outcome.Status.DEFERRED, Outcome.Status.DELIVERED);
        assertThat(outcomes.get(0).enhancedCode()).isEqualTo("4.2.2");
        assertThat(outcomes.get(0).detail()).isEqualTo("mailbox full");
    }

    @Test
    void aBrokenDirectoryDefersInsteadOfThrowing() {
        LocalCourier broken = new LocalCourier(new Directory() {
            @Override
            public boolean isLocalDomain(Domain domain) {
                return true;
            }

            @Override
            public List<String> resolve(Address recipient) {
                throw new IllegalStateException("users file unreadable");
            }
        }, store);
        assertThat(broken.deliver(parcel("a@example.org", "bob@example.com")))
                .extracting(Outcome::enhancedCode).containsExactly("4.3.0");
    }

    @Test
    void deliversIntoARealMaildirByteForByte(@TempDir Path data) throws IOException {
        LocalCourier real = new LocalCourier(directory, new MaildirStore(data, "mx.example.net"));
        List<Outcome> outcomes = real.deliver(parcel("alice@example.org", "team@example.com"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Outcome.Status.DELIVERED);
        for (String user : List.of("bob", "carol")) {
            try (Stream<Path> files = Files.list(data.resolve("mail/example.com/" + user + "/new"))) {
                assertThat(Files.readAllBytes(files.findFirst().orElseThrow())).isEqualTo(
                        ("Return-Path: <alice@example.org>\r\nDelivered-To: " + user + "@example.com\r\n"
                                + new String(CONTENT)).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aJunkParcelGoesIntoTheJunkFolderOfARealMaildir(@TempDir Path data) throws IOException {
        LocalCourier real = new LocalCourier(directory, new MaildirStore(data, "mx.example.net"));
        Parcel inbox = parcel("alice@example.org", "bob@example.com");
        Parcel junk = new Parcel(inbox.id(), inbox.envelope(), inbox.recipients(), inbox.content(), "Junk");

        assertThat(real.deliver(junk)).extracting(Outcome::status).containsExactly(Outcome.Status.DELIVERED);

        Path box = data.resolve("mail/example.com/bob");
        assertThat(box.resolve(".Junk/maildirfolder")).exists();
        try (Stream<Path> files = Files.list(box.resolve(".Junk/new"))) {
            assertThat(files.toList()).singleElement().satisfies(f -> assertThat(Files.readString(f)).endsWith(new String(CONTENT)));
        }
        try (Stream<Path> files = Files.list(box.resolve("new"))) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void theFolderIsPassedToTheStore() {
        RecordingStore store = new RecordingStore();
        Parcel inbox = parcel("alice@example.org", "bob@example.com");
        new LocalCourier(directory, store).deliver(inbox.withRecipients(inbox.recipients()));
        new LocalCourier(directory, store).deliver(
                new Parcel(inbox.id(), inbox.envelope(), inbox.recipients(), inbox.content(), "Junk"));
        assertThat(store.folders).containsExactly("null", "Junk");
    }

    @Test
    void everyCopyIsPlacedBeforeAnyIsAwaitedAndAFailedSyncDefersItsRecipientsOnly() {
        List<String> events = new ArrayList<>();
        MailboxStore placing = new MailboxStore() {
            @Override
            public String deliver(String user, String folder, byte[] prefix, InputStream content) {
                throw new AssertionError("a courier places copies");
            }

            @Override
            public Placed place(String user, String folder, byte[] prefix, InputStream content) {
                events.add("place " + user);
                return new Placed() {
                    @Override
                    public String where() {
                        return "box/" + user;
                    }

                    @Override
                    public void awaitDurable() throws IOException {
                        events.add("await " + user);
                        if (user.startsWith("carol")) {
                            throw new IOException("Input/output error");
                        }
                    }
                };
            }
        };

        List<Outcome> outcomes = new LocalCourier(directory, placing)
                .deliver(parcel("alice@example.org", "bob@example.com", "carol@example.com"));

        assertThat(events).containsExactly("place bob@example.com", "place carol@example.com",
                "await bob@example.com", "await carol@example.com");
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Outcome.Status.DELIVERED, Outcome.Status.DEFERRED);
        assertThat(outcomes.get(1).enhancedCode()).isEqualTo("4.3.0");
    }

    @Test
    void aSmallMessageForSeveralUsersIsReadOnceAndEachCopyIsWhole() {
        Parcel parcel = parcel("alice@example.org", "team@example.com", "bob@example.com");
        AtomicInteger opens = new AtomicInteger();
        Parcel counted = new Parcel(parcel.id(), parcel.envelope(), parcel.recipients(), new Parcel.Content() {
            @Override
            public InputStream open() {
                opens.incrementAndGet();
                return new ByteArrayInputStream(CONTENT);
            }

            @Override
            public long size() {
                return CONTENT.length;
            }
        });

        assertThat(courier.deliver(counted)).extracting(Outcome::status).containsOnly(Outcome.Status.DELIVERED);

        assertThat(opens).hasValue(1);
        assertThat(store.stored).extracting(Map.Entry::getValue).allMatch(copy -> copy.endsWith(new String(CONTENT)))
                .hasSize(2);
    }

    private static Parcel parcel(String sender, String... recipients) {
        List<Recipient> rcpts = Arrays.stream(recipients).map(r -> Recipient.of(address(r))).toList();
        Envelope e = new Envelope(sender.isEmpty() ? Address.NULL : address(sender), rcpts,
                Envelope.BodyType.EIGHT_BIT_MIME, false, null, null, "c.example", "192.0.2.1", null, Instant.EPOCH);
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

    private static Address address(String text) {
        int at = text.indexOf('@');
        return new Address(text.substring(0, at), Domain.of(text.substring(at + 1)));
    }

    /** Users and aliases from a map keyed by the lower-cased address. */
    private static final class FakeDirectory implements Directory {
        private final Map<String, List<String>> entries = new HashMap<>();

        FakeDirectory user(String address, String... users) {
            entries.put(address, List.of(users));
            return this;
        }

        @Override
        public boolean isLocalDomain(Domain domain) {
            return domain.key().equals("example.com");
        }

        @Override
        public List<String> resolve(Address recipient) {
            return entries.getOrDefault(recipient.key(), List.of());
        }

        @Override
        public List<String> ownersOf(Address address) {
            return resolve(address);
        }
    }

    /** Keeps what was stored; fails for users given an exception. */
    private static final class RecordingStore implements MailboxStore {
        final List<Map.Entry<String, String>> stored = new ArrayList<>();
        final List<String> folders = new ArrayList<>();
        final Map<String, IOException> failures = new HashMap<>();

        @Override
        public String deliver(String user, String folder, byte[] prefix, InputStream content) throws IOException {
            IOException failure = failures.get(user);
            if (failure != null) {
                throw failure;
            }
            stored.add(Map.entry(user, new String(prefix) + new String(content.readAllBytes())));
            folders.add(String.valueOf(folder));
            return "box/" + user;
        }
    }
}
