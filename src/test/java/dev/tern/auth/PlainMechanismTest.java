package dev.tern.auth;

import static dev.tern.auth.Fixtures.CHEAP;
import static dev.tern.auth.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.store.StoredPassword;
import org.junit.jupiter.api.Test;

class PlainMechanismTest {

    private final MemoryCredentials credentials = new MemoryCredentials()
            .add("alice@example.com", StoredPassword.of(CHEAP.hash("correct horse".toCharArray())));
    private final PasswordCheck check = new PasswordCheck(credentials, CHEAP);

    private SaslStep once(String message) {
        return new PlainMechanism(check).start(utf8(message));
    }

    @Test
    void anInitialResponseLogsInAtOnce() {
        assertThat(once("\0Alice@Example.com\0correct horse")).isEqualTo(new SaslStep.Success("alice@example.com"));
    }

    @Test
    void withoutAnInitialResponseTheServerSendsAnEmptyChallenge() {
        SaslMechanism plain = new PlainMechanism(check);
        assertThat(((SaslStep.Challenge) plain.start(null)).data()).isEmpty();
        assertThat(plain.next(utf8("\0alice@example.com\0correct horse"))).isInstanceOf(SaslStep.Success.class);
        assertThatThrownBy(() -> plain.next(new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anAuthzidMustNameTheSameUser() {
        assertThat(once("ALICE@example.com\0alice@example.com\0correct horse")).isInstanceOf(SaslStep.Success.class);
        assertThat(once("bob@example.com\0alice@example.com\0correct horse")).isEqualTo(new SaslStep.Failure(
                "alice@example.com", "authorization identity bob@example.com is not the user"));
    }

    @Test
    void aWrongPasswordAndAnUnknownUserFailAlike() {
        SaslStep wrong = once("\0alice@example.com\0wrong");
        SaslStep unknown = once("\0nobody@example.com\0wrong");
        assertThat(wrong).isEqualTo(new SaslStep.Failure("alice@example.com", "wrong password or no such user"));
        assertThat(unknown).isEqualTo(new SaslStep.Failure("nobody@example.com", "wrong password or no such user"));
    }

    @Test
    void malformedMessagesFailWithoutAnException() {
        for (String bad : new String[] {"", "alice@example.com", "\0alice@example.com", "a\0b\0c\0d",
            "\0\0correct horse", "\0alice@example.com\0", "\0" + "a".repeat(256) + "\0pw"}) {
            assertThat(once(bad)).as(bad.replace('\0', '|')).isInstanceOf(SaslStep.Failure.class);
        }
        assertThat(new PlainMechanism(check).start(new byte[0])).isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void theNextCallBeforeStartIsAProgrammingError() {
        assertThatThrownBy(() -> new PlainMechanism(check).next(new byte[0])).isInstanceOf(IllegalStateException.class);
        SaslMechanism plain = new PlainMechanism(check);
        plain.start(null);
        assertThatThrownBy(() -> plain.start(null)).isInstanceOf(IllegalStateException.class);
    }
}
