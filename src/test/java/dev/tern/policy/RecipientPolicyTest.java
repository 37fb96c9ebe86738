package dev.tern.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.mail.Domain;
import dev.tern.srs.Srs;
import dev.tern.store.FileDirectory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RCPT checks with a real file directory: forwards, SRS bounces, full mailboxes, relay control. */
class RecipientPolicyTest {

    private static final String HASH = "$argon2id$v=19$m=256,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
    private static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");

    @TempDir
    Path dir;
    private FileDirectory directory;
    private final Set<String> full = new java.util.HashSet<>();
    private final Srs srs = new Srs(List.of("policy-test-secret-000"), Domain.of("example.com"), 21,
            Clock.fixed(NOW, ZoneOffset.UTC));
    private RecipientPolicy policy;

    @BeforeEach
    void setUp() throws Exception {
        directory = new FileDirectory(dir, List.of("example.com"));
        directory.addUser("alice@example.com", HASH);
        directory.addUser("bob@example.com", HASH);
        directory.addAlias("both@example.com", List.of("alice@example.com", "bob@example.com"));
        directory.addAlias("away@example.com", List.of("alice@elsewhere.example"));
        directory.addAlias("mixed@example.com", List.of("alice@example.com", "alice@elsewhere.example"));
        policy = new RecipientPolicy(directory, full::contains, () -> srs);
    }

    private static Address address(String text) {
        try {
            return Address.parseMailbox(text, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private String reply(String recipient, boolean mayRelay) {
        Verdict v = policy.check(address(recipient), mayRelay);
        return v.code() + " " + v.enhanced() + " " + v.text();
    }

    @Test
    void anAliasThatForwardsToAnotherDomainIsARecipientHereForAnyone() {
        assertThat(reply("away@example.com", false)).isEqualTo("250 2.1.5 Recipient OK");
        assertThat(reply("nobody@example.com", false)).isEqualTo("550 5.1.1 No such user here");
        assertThat(reply("alice@elsewhere.example", false)).isEqualTo("550 5.7.1 Relaying denied");
        assertThat(reply("alice@elsewhere.example", true)).isEqualTo("250 2.1.5 Recipient OK");
    }

    @Test
    void aFullMailboxIsRefusedForNowOnlyWhenEveryMailboxReachedIsFull() {
        full.add("alice@example.com");

        assertThat(reply("alice@example.com", false)).isEqualTo("452 4.2.2 Mailbox full");
        assertThat(reply("alice+news@example.com", false)).isEqualTo("452 4.2.2 Mailbox full");
        assertThat(reply("both@example.com", false)).isEqualTo("250 2.1.5 Recipient OK");
        assertThat(reply("mixed@example.com", false)).isEqualTo("250 2.1.5 Recipient OK");
        full.add("bob@example.com");
        assertThat(reply("both@example.com", false)).isEqualTo("452 4.2.2 Mailbox full");
    }

    @Test
    void aQuotaThatCannotBeReadLetsTheMessageIn() {
        RecipientPolicy troubled = new RecipientPolicy(directory, user -> {
            throw new java.io.IOException("unreadable maildirsize");
        }, () -> null);
        assertThat(troubled.check(address("alice@example.com"), false).accepted()).isTrue();
    }

    @Test
    void aValidSrsAddressIsAcceptedFromAnyoneAndAForgedOrExpiredOneIsUnknown() {
        String valid = srs.forward(address("carol@sender.example")).toString();
        assertThat(valid).startsWith("SRS0=").endsWith("@example.com");

        assertThat(reply(valid, false)).isEqualTo("250 2.1.5 Recipient OK");
        String forged = valid.replace("=carol@", "=mallory@");
        assertThat(reply(forged, false)).isEqualTo("550 5.1.1 Invalid SRS address");
        Srs older = new Srs(List.of("policy-test-secret-000"), Domain.of("example.com"), 21,
                Clock.fixed(NOW.minus(Duration.ofDays(22)), ZoneOffset.UTC));
        assertThat(reply(older.forward(address("carol@sender.example")).toString(), false))
                .isEqualTo("550 5.1.1 Invalid SRS address");
    }

    @Test
    void srsAddressesOfAnotherDomainOrWithSrsOffAreOrdinaryAddresses() {
        String valid = srs.forward(address("carol@sender.example")).toString();
        RecipientPolicy off = new RecipientPolicy(directory, full::contains, () -> null);

        assertThat(off.check(address(valid), false).code()).isEqualTo(550);
        assertThat(off.check(address(valid), false).enhanced()).isEqualTo("5.1.1");
        assertThat(reply(valid.replace("@example.com", "@other.example"), false))
                .isEqualTo("550 5.7.1 Relaying denied");
    }
}
