package dev.tern.auth;

import static dev.tern.auth.Fixtures.CHEAP;
import static dev.tern.auth.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.store.StoredPassword;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    private final Fixtures.Clock clock = new Fixtures.Clock();
    private final Fixtures.Sleeper sleeper = new Fixtures.Sleeper();
    private final AuthThrottle throttle = new AuthThrottle(AuthThrottle.Policy.defaults(), clock, sleeper);
    private final Authenticator authenticator = new Authenticator(new MemoryCredentials()
            .add("alice@example.com", StoredPasswords.derive(CHEAP, "correct horse".toCharArray()))
            .add("old@example.com", StoredPassword.of(CHEAP.hash("pencil".toCharArray()))),
            CHEAP, throttle, Fixtures.SECRET);

    @Test
    void itOffersScramPlainAndLoginByAnyCase() {
        assertThat(authenticator.mechanisms()).containsExactly("SCRAM-SHA-256", "PLAIN", "LOGIN");
        assertThat(authenticator.start("plain", "192.0.2.1")).get().extracting(SaslMechanism::name).isEqualTo("PLAIN");
        assertThat(authenticator.start("Scram-Sha-256", "192.0.2.1")).get().extracting(SaslMechanism::name)
                .isEqualTo("SCRAM-SHA-256");
        assertThat(authenticator.start("CRAM-MD5", "192.0.2.1")).isEmpty();
        assertThat(authenticator.start("SCRAM-SHA-256-PLUS", "192.0.2.1")).isEmpty();
    }

    @Test
    void aDerivedPasswordWorksWithEveryMechanism() {
        SaslMechanism plain = authenticator.start("PLAIN", "192.0.2.1").orElseThrow();
        assertThat(plain.start(utf8("\0alice@example.com\0correct horse"))).isInstanceOf(SaslStep.Success.class);

        SaslMechanism scram = authenticator.start("SCRAM-SHA-256", "192.0.2.1").orElseThrow();
        String bare = "n=alice@example.com,r=abcdef";
        String serverFirst = new String(((SaslStep.Challenge) scram.start(utf8("n,," + bare))).data(),
                StandardCharsets.US_ASCII);
        assertThat(serverFirst).matches("r=abcdef[A-Za-z0-9+/]{24},s=.*,i=600000");
        SaslStep last = scram.next(utf8(ScramSha256MechanismTest.clientFinal("n,,", bare, serverFirst, "correct horse")));
        assertThat(last).isInstanceOf(SaslStep.Challenge.class);
        assertThat(scram.next(new byte[0])).isEqualTo(new SaslStep.Success("alice@example.com"));
    }

    @Test
    void aVerifierStoredWithTheOldCountStillLogsIn() {
        byte[] salt = "sixteen octets!!".getBytes(StandardCharsets.US_ASCII);
        Authenticator old = new Authenticator(new MemoryCredentials().add("bob@example.com", StoredPassword.of(
                CHEAP.hash("pw".toCharArray()), StoredPasswords.scramSha256("pw".toCharArray(), salt, 4096).orElseThrow())),
                CHEAP, throttle, Fixtures.SECRET);
        SaslMechanism scram = old.start("SCRAM-SHA-256", "192.0.2.1").orElseThrow();
        String bare = "n=bob@example.com,r=abcdef";
        String serverFirst = Fixtures.text(scram.start(utf8("n,," + bare)));
        assertThat(serverFirst).endsWith(",i=4096");
        assertThat(scram.next(utf8(ScramSha256MechanismTest.clientFinal("n,,", bare, serverFirst, "pw"))))
                .isInstanceOf(SaslStep.Challenge.class);
        assertThat(scram.next(new byte[0])).isEqualTo(new SaslStep.Success("bob@example.com"));
    }

    @Test
    void failuresFeedTheThrottleUntilTheAddressIsLockedOut() {
        try (Fixtures.MailLogLines log = new Fixtures.MailLogLines()) {
            for (int i = 1; i <= 10; i++) {
                assertThat(authenticator.isLockedOut("203.0.113.9")).as("before failure " + i).isFalse();
                SaslMechanism plain = authenticator.start("PLAIN", "203.0.113.9").orElseThrow();
                assertThat(plain.start(utf8("\0alice@example.com\0guess" + i))).isInstanceOf(SaslStep.Failure.class);
                clock.advance(AuthThrottle.Policy.ACCOUNT_DELAY_MAX); // a patient guesser: the account admits it
            }
            assertThat(authenticator.isLockedOut("203.0.113.9")).isTrue();
            assertThat(log.lines()).contains(
                    "auth-failed client=203.0.113.9 user=alice@example.com mechanism=PLAIN failures=3"
                            + " reason=\"wrong password or no such user\"");
            assertThat(log.lines()).anyMatch(line -> line.startsWith("auth-lockout client=203.0.113.9 until="));
        }
        assertThat(sleeper.slept).startsWith(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void aSuccessIsLoggedAndClearsTheAccountDelay() {
        for (int i = 0; i < 3; i++) {
            SaslMechanism login = authenticator.start("LOGIN", "198.51.100." + i).orElseThrow();
            login.start(utf8("alice@example.com"));
            login.next(utf8("wrong"));
        }
        assertThat(sleeper.slept).containsExactly(Duration.ofSeconds(1));
        SaslMechanism early = authenticator.start("LOGIN", "192.0.2.1").orElseThrow();
        early.start(utf8("alice@example.com"));
        assertThat(early.next(utf8("correct horse"))).as("the account's next check waits 1s")
                .isInstanceOf(SaslStep.Unavailable.class);
        clock.advance(Duration.ofSeconds(1));
        SaslMechanism login = authenticator.start("LOGIN", "192.0.2.1").orElseThrow();
        login.start(utf8("alice@example.com"));
        assertThat(login.next(utf8("correct horse"))).isInstanceOf(SaslStep.Success.class);
        SaslMechanism again = authenticator.start("PLAIN", "192.0.2.2").orElseThrow();
        again.start(utf8("\0alice@example.com\0typo"));
        assertThat(sleeper.slept).as("no new delay: the account count restarted").hasSize(1);
    }

    @Test
    void aChallengeIsNotAFailure() {
        SaslMechanism scram = authenticator.start("SCRAM-SHA-256", "203.0.113.9").orElseThrow();
        scram.start(utf8("n,,n=nobody@example.com,r=abc"));
        // The client cancels here (the session handles "*"): nothing was recorded.
        SaslMechanism plain = authenticator.start("PLAIN", "203.0.113.9").orElseThrow();
        plain.start(null);
        for (int i = 0; i < 9; i++) {
            authenticator.start("PLAIN", "203.0.113.9").orElseThrow().start(utf8("\0x@example.com\0y"));
        }
        assertThat(authenticator.isLockedOut("203.0.113.9")).isFalse();
    }
}
