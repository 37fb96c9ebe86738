package dev.tern.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.RateLimitSettings;
import dev.tern.config.RateLimitSettings.Limit;
import dev.tern.config.RateLimitSettings.LimitOverride;
import dev.tern.mail.IpNetwork;
import dev.tern.policy.Verdict;
import dev.tern.testlog.MailLogCapture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

    private final ManualClock clock = new ManualClock();

    private static InetAddress ip(String text) {
        return IpNetwork.parseAddress(text);
    }

    private RateLimits limits(Map<Limit, Integer> values) {
        return new RateLimits(RateLimitSettings.defaults().with(values), List.of(IpNetwork.parse("198.51.100.0/24")),
                clock);
    }

    @Test
    void clientMessagesOverTheLimitGet450NamingTheLimit() {
        RateLimits limits = limits(Map.of(Limit.CLIENT_MESSAGES, 2));
        InetAddress client = ip("192.0.2.10");
        assertThat(limits.message(client, null)).isNull();
        assertThat(limits.message(client, null)).isNull();
        Verdict refused = limits.message(client, null);
        assertThat(refused).isEqualTo(Verdict.temporary(450, "4.7.1",
                "Too many messages from your network (limit 2 messages per hour), try again later"));
        assertThat(limits.refusals(Limit.CLIENT_MESSAGES)).isEqualTo(1);
        assertThat(limits.message(ip("192.0.2.11"), null)).as("another /32").isNull();
        clock.advance(Duration.ofMinutes(90)); // half of the previous hour's 2 still count: 1 + 1 fits
        assertThat(limits.message(client, null)).isNull();
        assertThat(limits.message(client, null)).isNotNull();
    }

    @Test
    void connectionsAreRefusedWith421AndIpv6IsCountedByItsSlash64() {
        RateLimits limits = limits(Map.of(Limit.CLIENT_CONNECTIONS, 1));
        assertThat(limits.connection(ip("2001:db8:1:2::1"))).isNull();
        Verdict refused = limits.connection(ip("2001:db8:1:2:ffff::9"));
        assertThat(refused).isEqualTo(Verdict.temporary(421, "4.7.0",
                "Too many connections from your network (limit 1 connections per minute), try again later"));
        assertThat(limits.connection(ip("2001:db8:1:3::1"))).as("another /64").isNull();
        clock.advance(Duration.ofMinutes(2));
        assertThat(limits.connection(ip("2001:db8:1:2::1"))).isNull();
    }

    @Test
    void aConfiguredPrefixCountsAWholeNetworkAsOne() {
        RateLimitSettings settings = new RateLimitSettings(1000, 24, 48, true, true,
                Map.of(Limit.CLIENT_CONNECTIONS, 1), List.of());
        RateLimits limits = new RateLimits(settings, List.of(), clock);
        assertThat(limits.connection(ip("192.0.2.1"))).isNull();
        assertThat(limits.connection(ip("192.0.2.200"))).isNotNull();
        assertThat(limits.connection(ip("192.0.3.1"))).isNull();
    }

    @Test
    void userLimitsCountPerHourAndPerDayAndTheLoginCaseDoesNotMatter() {
        RateLimits limits = limits(Map.of(Limit.USER_MESSAGES_HOUR, 3, Limit.USER_MESSAGES_DAY, 4));
        InetAddress client = ip("192.0.2.10");
        for (int i = 0; i < 3; i++) {
            assertThat(limits.message(client, i % 2 == 0 ? "alice@example.com" : "Alice@Example.COM")).isNull();
        }
        assertThat(limits.message(ip("203.0.113.5"), "alice@example.com").text())
                .isEqualTo("Too many messages from your account (limit 3 messages per hour), try again later");
        clock.advance(Duration.ofHours(2));
        assertThat(limits.message(client, "alice@example.com")).isNull();
        assertThat(limits.message(client, "alice@example.com").text()).contains("limit 4 messages per day");
        assertThat(limits.message(client, "bob@example.com")).isNull();
    }

    @Test
    void aRefusedAttemptIsNotCounted() {
        RateLimits limits = limits(Map.of(Limit.USER_RECIPIENTS_HOUR, 2, Limit.USER_RECIPIENTS_DAY, 3));
        InetAddress client = ip("192.0.2.10");
        assertThat(limits.recipient(client, "u")).isNull();
        assertThat(limits.recipient(client, "u")).isNull();
        for (int i = 0; i < 50; i++) {
            assertThat(limits.recipient(client, "u")).isNotNull(); // the hour refuses; the day is not charged
        }
        clock.advance(Duration.ofHours(2));
        assertThat(limits.recipient(client, "u")).isNull();
        assertThat(limits.recipient(client, "u").text()).contains("3 recipients per day");
    }

    @Test
    void loopbackAndTrustedNetworksAreExemptFromClientLimitsUnlessConfigured() {
        RateLimits limits = limits(Map.of(Limit.CLIENT_RECIPIENTS, 1));
        for (int i = 0; i < 5; i++) {
            assertThat(limits.recipient(ip("127.0.0.1"), null)).isNull();
            assertThat(limits.recipient(ip("::1"), null)).isNull();
            assertThat(limits.recipient(ip("198.51.100.7"), null)).isNull();
        }
        RateLimits strict = new RateLimits(RateLimitSettings.defaults().with(Map.of(Limit.CLIENT_RECIPIENTS, 1))
                .withExemptions(false, false), List.of(IpNetwork.parse("198.51.100.0/24")), clock);
        assertThat(strict.recipient(ip("127.0.0.1"), null)).isNull();
        assertThat(strict.recipient(ip("127.0.0.1"), null)).isNotNull();
        assertThat(strict.recipient(ip("198.51.100.7"), null)).isNull();
        assertThat(strict.recipient(ip("198.51.100.7"), null)).isNotNull();
    }

    @Test
    void userLimitsApplyEvenFromLoopback() {
        RateLimits limits = limits(Map.of(Limit.USER_MESSAGES_HOUR, 1));
        assertThat(limits.message(ip("127.0.0.1"), "webmail-user")).isNull();
        assertThat(limits.message(ip("127.0.0.1"), "webmail-user")).isNotNull();
    }

    @Test
    void theMostSpecificNetworkOverrideAndAUsersOverrideWin() {
        RateLimitSettings settings = RateLimitSettings.defaults().with(Map.of(Limit.CLIENT_MESSAGES, 1,
                Limit.USER_MESSAGES_HOUR, 1)).withOverrides(List.of(
                new LimitOverride(IpNetwork.parse("192.0.2.0/24"), null, Map.of(Limit.CLIENT_MESSAGES, 3)),
                new LimitOverride(IpNetwork.parse("192.0.2.128/25"), null, Map.of(Limit.CLIENT_MESSAGES, 0)),
                new LimitOverride(null, "Newsletter@Example.com", Map.of(Limit.USER_MESSAGES_HOUR, 2))));
        RateLimits limits = new RateLimits(settings, List.of(), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.message(ip("192.0.2.1"), null)).isNull();
        }
        assertThat(limits.message(ip("192.0.2.1"), null).text()).contains("limit 3 messages per hour");
        for (int i = 0; i < 100; i++) {
            assertThat(limits.message(ip("192.0.2.200"), null)).as("0 means no limit").isNull();
        }
        assertThat(limits.message(ip("203.0.113.1"), null)).isNull();
        assertThat(limits.message(ip("203.0.113.1"), null)).isNotNull();
        assertThat(limits.message(ip("203.0.113.1"), "newsletter@example.com")).isNull();
        assertThat(limits.message(ip("203.0.113.1"), "newsletter@example.com")).isNull();
        assertThat(limits.message(ip("203.0.113.1"), "newsletter@example.com")).isNotNull();
    }

    @Test
    void theTrackedEntriesStayWithinTheBoundForgettingTheLeastRecentlySeen() {
        RateLimitSettings settings = new RateLimitSettings(100, 32, 64, true, true,
                Map.of(Limit.CLIENT_MESSAGES, 1), List.of());
        RateLimits limits = new RateLimits(settings, List.of(), clock);
        InetAddress kept = ip("192.0.2.1");
        assertThat(limits.message(kept, null)).isNull();
        for (int i = 0; i < 1000; i++) {
            limits.message(ip("10.0." + (i / 250) + "." + (i % 250)), null);
            if (i % 50 == 0) {
                assertThat(limits.message(kept, null)).as("seen recently, still remembered").isNotNull();
            }
        }
        assertThat(limits.tracked()).isEqualTo(100);
        assertThat(limits.evictions()).isEqualTo(1001 - 100);
    }

    @Test
    void oneLogLinePerWindowNotPerRefusal() {
        try (MailLogCapture log = new MailLogCapture()) {
            RateLimits limits = limits(Map.of(Limit.CLIENT_RECIPIENTS, 1));
            InetAddress client = ip("192.0.2.77");
            limits.recipient(client, null);
            for (int i = 0; i < 5; i++) {
                assertThat(limits.recipient(client, null)).isNotNull();
            }
            clock.advance(Duration.ofHours(1));
            assertThat(limits.recipient(client, null)).isNotNull(); // the previous hour still counts whole
            List<String> lines = log.lines().stream().filter(l -> l.contains("client=192.0.2.77")).toList();
            assertThat(lines).containsExactly(
                    "throttled ratelimit=client_recipients_per_hour client=192.0.2.77 network=192.0.2.77/32 "
                            + "limit=\"1 recipients per hour\"",
                    "throttled ratelimit=client_recipients_per_hour client=192.0.2.77 network=192.0.2.77/32 "
                            + "limit=\"1 recipients per hour\"");
            assertThat(limits.refusals()).isEqualTo(6);
        }
    }
}
