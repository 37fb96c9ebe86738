package dev.tern.auth;

import static dev.tern.auth.Fixtures.CHEAP;
import static dev.tern.auth.Fixtures.text;
import static dev.tern.auth.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.store.StoredPassword;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LoginMechanismTest {

    private final MemoryCredentials credentials = new MemoryCredentials()
            .add("alice@example.com", StoredPassword.of(CHEAP.hash("correct horse".toCharArray())));
    private final PasswordCheck check = new PasswordCheck(credentials, CHEAP);

    @Test
    void theServerAsksForUserNameThenPassword() {
        SaslMechanism login = new LoginMechanism(check);
        SaslStep username = login.start(null);
        assertThat(text(username)).isEqualTo("Username:");
        assertThat(Base64.getEncoder().encodeToString(((SaslStep.Challenge) username).data())).isEqualTo("VXNlcm5hbWU6");
        SaslStep password = login.next(utf8("alice@EXAMPLE.com"));
        assertThat(Base64.getEncoder().encodeToString(((SaslStep.Challenge) password).data())).isEqualTo("UGFzc3dvcmQ6");
        assertThat(login.next(utf8("correct horse"))).isEqualTo(new SaslStep.Success("alice@example.com"));
    }

    @Test
    void anInitialResponseIsTheUserName() {
        SaslMechanism login = new LoginMechanism(check);
        assertThat(text(login.start(utf8("alice@example.com")))).isEqualTo("Password:");
        assertThat(login.next(utf8("correct horse"))).isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserFailAlike() {
        for (String user : new String[] {"alice@example.com", "nobody@example.com"}) {
            SaslMechanism login = new LoginMechanism(check);
            login.start(utf8(user));
            assertThat(login.next(utf8("wrong"))).isEqualTo(new SaslStep.Failure(user, "wrong password or no such user"));
        }
    }

    @Test
    void emptyAnswersFail() {
        SaslMechanism noUser = new LoginMechanism(check);
        noUser.start(new byte[0]);
        assertThat(noUser.next(utf8("correct horse"))).isInstanceOf(SaslStep.Failure.class);
        SaslMechanism noPassword = new LoginMechanism(check);
        noPassword.start(utf8("alice@example.com"));
        assertThat(noPassword.next(new byte[0])).isInstanceOf(SaslStep.Failure.class);
    }
}
