package dev.tern.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.store.Directory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mailbox server's answer at RCPT, and the directory where nobody is asked. */
class MailboxCheckPolicyTest {

    /** Local domains here.test and dovecot.test; only alice@here.test is a user of Tern's own. */
    private static final Directory DIRECTORY = new Directory() {
        @Override
        public boolean isLocalDomain(Domain domain) {
            return domain.key().equals("here.test") || domain.key().equals("dovecot.test");
        }

        @Override
        public List<String> resolve(Address recipient) {
            return recipient.key().equals("alice@here.test") ? List.of("alice@here.test") : List.of();
        }
    };

    /** Answers for dovecot.test by local part; not asked about any other domain. Remembers who was asked. */
    private static final class ScriptedMailboxes implements MailboxCheck {
        final List<String> asked = new ArrayList<>();

        @Override
        public Answer check(Address recipient) {
            asked.add(recipient.key());
            if (!recipient.domain().key().equals("dovecot.test")) {
                return Answer.NOT_ASKED;
            }
            return switch (recipient.localPart()) {
                case "carol" -> Answer.EXISTS;
                case "full" -> Answer.full("452 4.2.2 Quota exceeded");
                case "down" -> Answer.unavailable("connection refused");
                case "boom" -> throw new IllegalStateException("bug");
                default -> Answer.unknown("550 5.1.1 User doesn't exist");
            };
        }
    }

    private final ScriptedMailboxes mailboxes = new ScriptedMailboxes();
    private final RecipientPolicy policy = new RecipientPolicy(DIRECTORY, mailboxes);

    private static Address at(String local, String domain) {
        return new Address(local, Domain.of(domain));
    }

    @Test
    void theMailboxServerDecidesForItsDomains() {
        assertThat(policy.check(at("carol", "dovecot.test"), false)).isEqualTo(Verdict.ACCEPT);
        Verdict unknown = policy.check(at("stranger", "dovecot.test"), false);
        assertThat(unknown.kind()).isEqualTo(Verdict.Kind.PERMANENT);
        assertThat(unknown.code()).isEqualTo(550);
        assertThat(unknown.enhanced()).isEqualTo("5.1.1");
        Verdict full = policy.check(at("full", "dovecot.test"), false);
        assertThat(full.kind()).isEqualTo(Verdict.Kind.TEMPORARY);
        assertThat(full.code()).isEqualTo(452);
        assertThat(full.enhanced()).isEqualTo("4.2.2");
    }

    @Test
    void aServerThatCannotAnswerGetsATemporaryReplyNeverA5xxAndNoDetail() {
        for (String local : List.of("down", "boom")) {
            Verdict verdict = policy.check(at(local, "dovecot.test"), false);
            assertThat(verdict.kind()).isEqualTo(Verdict.Kind.TEMPORARY);
            assertThat(verdict.code()).isEqualTo(451);
            assertThat(verdict.enhanced()).isEqualTo("4.3.0");
            assertThat(verdict.text()).doesNotContain("refused").doesNotContain("bug");
        }
    }

    @Test
    void whereNobodyIsAskedTheDirectoryDecides() {
        assertThat(policy.check(at("alice", "here.test"), false)).isEqualTo(Verdict.ACCEPT);
        assertThat(policy.check(at("bob", "here.test"), false).enhanced()).isEqualTo("5.1.1");
        assertThat(new RecipientPolicy(DIRECTORY).check(at("carol", "dovecot.test"), false).enhanced())
                .isEqualTo("5.1.1");
    }

    @Test
    void relayingIsDecidedBeforeAnyMailboxServerIsAsked() {
        assertThat(policy.check(at("x", "far.test"), false).enhanced()).isEqualTo("5.7.1");
        assertThat(policy.check(at("x", "far.test"), true)).isEqualTo(Verdict.ACCEPT);
        assertThat(mailboxes.asked).isEmpty();
    }
}
