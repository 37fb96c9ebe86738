package dev.tern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {

    private final Fixtures.Clock clock = new Fixtures.Clock();
    private final Fixtures.Sleeper sleeper = new Fixtures.Sleeper();

    private AuthThrottle throttle(AuthThrottle.Policy policy) {
        return new AuthThrottle(policy, clock, sleeper);
    }

    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void delaysGrowAfterTwoFreeFailuresUpToTheCap() throws InterruptedException {
        AuthThrottle throttle = throttle(new AuthThrottle.Policy(100, Duration.ofMinutes(15), Duration.ofMinutes(15),
                s(1), s(15)));
        for (int i = 0; i < 8; i++) {
            assertThat(throttle.failed("203.0.113.9", "alice@example.com", "PLAIN", "wrong password")).isFalse();
        }
        assertThat(sleeper.slept).containsExactly(s(1), s(2), s(4), s(8), s(15), s(15));
    }

    @Test
    void anAccountUnderAttackIsSlowFromEveryAddressButNeverLocked() throws InterruptedException {
        AuthThrottle throttle = throttle(AuthThrottle.Policy.defaults());
        for (int i = 0; i < 12; i++) {
            assertThat(throttle.failed("198.51.100." + i, "Alice@example.com", "PLAIN", "wrong password")).isFalse();
        }
        assertThat(sleeper.slept).hasSize(10).endsWith(s(15));
        assertThat(throttle.isLockedOut("198.51.100.1")).isFalse();
    }

    @Test
    void tooManyFailuresFromOneAddressLockItOutForTheLockoutTime() throws InterruptedException {
        AuthThrottle throttle = throttle(AuthThrottle.Policy.defaults());
        for (int i = 1; i < 10; i++) {
            assertThat(throttle.failed("203.0.113.9", "user" + i + "@example.com", "LOGIN", "wrong password")).as("failure " + i).isFalse();
            clock.advance(s(30));
        }
        assertThat(sleeper.slept).as("delays count by address too").startsWith(s(1), s(2));
        assertThat(throttle.failed("203.0.113.9", "user10@example.com", "LOGIN", "wrong password")).isTrue();
        assertThat(throttle.isLockedOut("203.0.113.9")).isTrue();
        assertThat(throttle.lockedUntil("203.0.113.9")).hasValue(clock.now.plus(Duration.ofMinutes(15)));
        assertThat(throttle.isLockedOut("203.0.113.10")).isFalse();

        clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        assertThat(throttle.isLockedOut("203.0.113.9")).isTrue();
        clock.advance(s(1));
        assertThat(throttle.isLockedOut("203.0.113.9")).isFalse();
        sleeper.slept.clear();
        assertThat(throttle.failed("203.0.113.9", "x@example.com", "LOGIN", "wrong password")).as("the count starts afresh").isFalse();
        assertThat(sleeper.slept).isEmpty();
    }

    @Test
    void failuresFurtherApartThanTheWindowDoNotAddUp() throws InterruptedException {
        AuthThrottle throttle = throttle(new AuthThrottle.Policy(3, Duration.ofMinutes(10), Duration.ofMinutes(15),
                s(1), s(15)));
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.failed("203.0.113.9", "alice@example.com", "PLAIN", "wrong password")).isFalse();
            clock.advance(Duration.ofMinutes(10));
        }
        assertThat(sleeper.slept).isEmpty();
        throttle.failed("203.0.113.9", "alice@example.com", "PLAIN", "wrong password");
        clock.advance(Duration.ofMinutes(9));
        throttle.failed("203.0.113.9", "alice@example.com", "PLAIN", "wrong password");
        clock.advance(Duration.ofMinutes(9));
        assertThat(throttle.failed("203.0.113.9", "alice@example.com", "PLAIN", "wrong password")).isTrue();
    }

    @Test
    void aSuccessResetsTheAccountButNotTheAddress() throws InterruptedException {
        AuthThrottle throttle = throttle(AuthThrottle.Policy.defaults());
        for (int i = 0; i < 4; i++) {
            throttle.failed("198.51.100." + i, "alice@example.com", "PLAIN", "wrong password");
        }
        assertThat(sleeper.slept).containsExactly(s(1), s(2));
        throttle.succeeded("198.51.100.7", "ALICE@example.com", "PLAIN");
        sleeper.slept.clear();
        throttle.failed("198.51.100.8", "alice@example.com", "PLAIN", "wrong password");
        assertThat(sleeper.slept).as("the account count started again").isEmpty();

        for (int i = 0; i < 9; i++) {
            throttle.failed("203.0.113.9", "mallory" + i + "@example.com", "PLAIN", "wrong password");
        }
        throttle.succeeded("203.0.113.9", "mallory@example.com", "PLAIN");
        assertThat(throttle.failed("203.0.113.9", "alice@example.com", "PLAIN", "wrong password")).as("10th from the address").isTrue();
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() {
        assertThat(AuthThrottle.addressKey("2001:db8::1")).isEqualTo(AuthThrottle.addressKey("2001:DB8:0:0:ffff::2"))
                .isEqualTo("2001:db8:0:0::/64");
        assertThat(AuthThrottle.addressKey("2001:db8:0:1::1")).isNotEqualTo(AuthThrottle.addressKey("2001:db8::1"));
        assertThat(AuthThrottle.addressKey("fe80::1%eth0")).isEqualTo("fe80:0:0:0::/64");
        assertThat(AuthThrottle.addressKey("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(AuthThrottle.addressKey("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(AuthThrottle.addressKey("not.an.address.example")).isEqualTo("not.an.address.example");
    }

    @Test
    void failuresAndLockoutsAreLoggedForFail2ban() throws InterruptedException {
        AuthThrottle throttle = throttle(new AuthThrottle.Policy(3, Duration.ofMinutes(15), Duration.ofMinutes(15),
                s(1), s(15)));
        try (Fixtures.MailLogLines log = new Fixtures.MailLogLines()) {
            throttle.failed("203.0.113.9", "alice@example.com", "PLAIN", "wrong password");
            throttle.failed("203.0.113.9", null, "SCRAM-SHA-256", "wrong password");
            throttle.failed("203.0.113.9", "bad user\r\nauth-failed", "LOGIN", "wrong password");
            throttle.succeeded("192.0.2.1", "bob@example.com", "PLAIN");
            List<String> lines = log.lines();
            assertThat(lines).containsExactly(
                    "auth-failed client=203.0.113.9 user=alice@example.com mechanism=PLAIN failures=1"
                            + " reason=\"wrong password\"",
                    "auth-failed client=203.0.113.9 mechanism=SCRAM-SHA-256 failures=2 reason=\"wrong password\"",
                    "auth-failed client=203.0.113.9 user=\"bad user\\x0d\\x0aauth-failed\" mechanism=LOGIN failures=3"
                            + " reason=\"wrong password\"",
                    "auth-lockout client=203.0.113.9 until=2025-01-01T00:15:00Z failures=3",
                    "auth client=192.0.2.1 user=bob@example.com mechanism=PLAIN");
            // The failregex of docs/auth.md (after the logger name), fail2ban's <ADDR> written out: one match
            // per failure, none for the lockout (fail2ban counts failures itself) or a success.
            Pattern failregex = Pattern.compile("auth-failed client=(?<addr>[0-9A-Fa-f:.]+)(?:\\s|$)");
            assertThat(lines.subList(0, 3)).allSatisfy(line -> {
                java.util.regex.Matcher m = failregex.matcher(line);
                assertThat(m.find()).as(line).isTrue();
                assertThat(m.group("addr")).isEqualTo("203.0.113.9");
            });
            assertThat(lines.subList(3, 5)).noneMatch(line -> failregex.matcher(line).find());
        }
    }

    @Test
    void aCheckIsCountedBeforeItRunsSoParallelChecksCannotPassTheLimit() throws InterruptedException {
        AuthThrottle throttle = throttle(new AuthThrottle.Policy(3, Duration.ofMinutes(15), Duration.ofMinutes(15),
                s(0), s(0)));
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.admit("203.0.113.9", "user" + i + "@example.com")).as("check " + i).isEmpty();
        }
        assertThat(throttle.admit("203.0.113.9", "user3@example.com")).hasValue(
                "client has 3 checks running after 0 failures");
        assertThat(throttle.admit("203.0.113.10", "user3@example.com")).as("another address").isEmpty();

        throttle.succeeded("203.0.113.9", "user0@example.com", "PLAIN", true); // gives its place back
        assertThat(throttle.admit("203.0.113.9", "user4@example.com")).isEmpty();
        assertThat(throttle.failed("203.0.113.9", "user1@example.com", "PLAIN", "wrong", true)).isFalse();
        assertThat(throttle.failed("203.0.113.9", "user2@example.com", "PLAIN", "wrong", true)).isFalse();
        assertThat(throttle.failed("203.0.113.9", "user4@example.com", "PLAIN", "wrong", true)).isTrue();
        assertThat(throttle.admit("203.0.113.9", "user5@example.com")).hasValue("client is locked out");

        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.admit("203.0.113.9", "user5@example.com")).as("the lockout was served").isEmpty();
    }

    @Test
    void aServedLockoutShorterThanTheWindowAdmitsChecksAgain() throws InterruptedException {
        AuthThrottle throttle = throttle(new AuthThrottle.Policy(2, Duration.ofHours(1), Duration.ofMinutes(5),
                s(0), s(0)));
        throttle.failed("203.0.113.9", "a@example.com", "PLAIN", "wrong");
        assertThat(throttle.failed("203.0.113.9", "b@example.com", "PLAIN", "wrong")).isTrue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(throttle.admit("203.0.113.9", "c@example.com")).isEmpty();
    }

    @Test
    void failuresAgainstOneAccountFromManyAddressesSpaceItsChecksOutWithGrowingDelays()
            throws InterruptedException {
        AuthThrottle throttle = throttle(AuthThrottle.Policy.defaults());
        for (int i = 0; i <= AuthThrottle.FREE_FAILURES; i++) {
            assertThat(throttle.admit("198.51.100." + i, "alice@example.com")).as("failure " + i).isEmpty();
            throttle.failed("198.51.100." + i, "alice@example.com", "PLAIN", "wrong", true);
        }
        // From here each check of the account waits 1s, 2s, 4s... after the last failure, from any address,
        // and only one runs at a time.
        Duration expected = s(1);
        for (int i = AuthThrottle.FREE_FAILURES + 1; i < 16; i++) {
            String address = "198.51.100." + i;
            clock.advance(expected.minusMillis(1));
            assertThat(throttle.admit("192.0.2." + i, "alice@example.com")).as("too early before failure " + i)
                    .hasValueSatisfying(reason -> assertThat(reason).startsWith("account alice@example.com is throttled"));
            clock.advance(Duration.ofMillis(1));
            assertThat(throttle.admit(address, "alice@example.com")).as("in time for failure " + i).isEmpty();
            assertThat(throttle.admit("192.0.2." + i, "ALICE@example.com")).as("a second check at once").isPresent();
            throttle.failed(address, "alice@example.com", "PLAIN", "wrong", true);
            expected = min(expected.multipliedBy(2), AuthThrottle.Policy.ACCOUNT_DELAY_MAX);
        }
        assertThat(expected).as("the delays reached their cap").isEqualTo(AuthThrottle.Policy.ACCOUNT_DELAY_MAX);
        assertThat(throttle.isLockedOut("198.51.100.15")).as("no address was locked").isFalse();

        // The real user, at most the cap after the last wrong guess, gets a check; a success ends the delays.
        clock.advance(AuthThrottle.Policy.ACCOUNT_DELAY_MAX);
        assertThat(throttle.admit("192.0.2.200", "alice@example.com")).isEmpty();
        throttle.succeeded("192.0.2.200", "alice@example.com", "PLAIN", true);
        assertThat(throttle.admit("192.0.2.200", "alice@example.com")).isEmpty();
        assertThat(throttle.admit("192.0.2.201", "alice@example.com")).isEmpty();
    }

    @Test
    void anAccountsDelaysAreForgottenAfterAQuietWindow() throws InterruptedException {
        AuthThrottle throttle = throttle(AuthThrottle.Policy.defaults());
        for (int i = 0; i < 5; i++) {
            throttle.failed("198.51.100." + i, "bob@example.com", "LOGIN", "wrong");
        }
        assertThat(throttle.admit("192.0.2.1", "bob@example.com")).isPresent();
        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.admit("192.0.2.1", "bob@example.com")).isEmpty();
    }
    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
