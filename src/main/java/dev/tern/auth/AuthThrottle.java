package dev.tern.auth;

import dev.tern.observe.MailLog;
import dev.tern.store.Names;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows and stops password guessing. Failures are counted per client address and per account (the login
 * tried); a count is forgotten once {@code window} passes without a failure.
 * <ul>
 *   <li>After each failure the reply waits: nothing for the first two (typos), then {@code delayBase},
 *       doubling each time up to {@code delayMax}, by the larger of the address's and the account's count,
 *       so a guesser gets slow answers from any address once an account is under attack.</li>
 *   <li>After {@code maxFailures} from one address, that address may not authenticate for {@code lockout}:
 *       the session replies {@code 421 4.7.0} and closes. Accounts are never locked, only slowed: otherwise
 *       anyone could lock a user out by guessing wrong on purpose.</li>
 *   <li>A success resets the account's count, not the address's (a guesser who owns one account must not
 *       be able to wipe its record by logging in to it between guesses).</li>
 * </ul>
 * An IPv6 client is counted by its /64 prefix: one host often holds a whole /64 and could otherwise change
 * address for each guess. Each failure is logged as {@code auth-failed} and each lockout as
 * {@code auth-lockout}, lines fail2ban can match (docs/auth.md). Safe for concurrent sessions.
 */
public final class AuthThrottle {

    /**
     * The throttle's settings (the config file's {@code [auth]} table).
     *
     * @param maxFailures failures from one address within the window that lock it out
     * @param window      a count is forgotten once this passes without a failure
     * @param lockout     how long a locked-out address may not authenticate
     * @param delayBase   the delay after the third failure; each later one doubles it
     * @param delayMax    the longest delay
     */
    public record Policy(int maxFailures, Duration window, Duration lockout, Duration delayBase, Duration delayMax) {

        public Policy {
            if (maxFailures < 1 || window.isNegative() || window.isZero() || lockout.isNegative()
                    || delayBase.isNegative() || delayMax.compareTo(delayBase) < 0) {
                throw new IllegalArgumentException("invalid throttle policy: " + maxFailures + ", " + window + ", "
                        + lockout + ", " + delayBase + ", " + delayMax);
            }
        }

        /** 10 failures in 15 minutes lock an address out for 15 minutes; delays 0, 0, 1s, 2s, 4s ... 15s. */
        public static Policy defaults() {
            return new Policy(10, Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofSeconds(1),
                    Duration.ofSeconds(15));
        }
    }

    /** Waits out a failure delay; tests pass one that only records. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Failures that cost nothing before the delays begin. */
    static final int FREE_FAILURES = 2;
    /** Entries kept before expired ones are swept (and, if still more, all but lockouts): memory stays bounded. */
    static final int MAX_ENTRIES = 100_000;

    private final Policy policy;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private final Map<String, Counter> addresses = new ConcurrentHashMap<>();
    private final Map<String, Counter> accounts = new ConcurrentHashMap<>();

    /**
     * A count of recent failures; immutable, replaced through {@link Map#compute}. {@code justLocked} marks
     * the failure that started a lockout, so it is logged once.
     */
    private record Counter(int failures, Instant last, Instant lockedUntil, boolean justLocked) {

        boolean locked(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }

        /** Nothing left to remember: the window passed since the last failure and no lockout runs. */
        boolean stale(Instant now, Duration window) {
            return !now.isBefore(last.plus(window)) && !locked(now);
        }
    }

    /** With the system clock, sleeping the delays for real. */
    public AuthThrottle(Policy policy) {
        this(policy, InstantSource.system(), duration -> Thread.sleep(duration));
    }

    public AuthThrottle(Policy policy, InstantSource clock, Sleeper sleeper) {
        this.policy = policy;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public Policy policy() {
        return policy;
    }

    /** Until when this client address may not authenticate; empty when it may. */
    public Optional<Instant> lockedUntil(String clientAddress) {
        Counter counter = addresses.get(addressKey(clientAddress));
        return counter != null && counter.locked(clock.instant()) ? Optional.of(counter.lockedUntil())
                : Optional.empty();
    }

    /** Whether this client address is locked out now: the session refuses AUTH with 421 and closes. */
    public boolean isLockedOut(String clientAddress) {
        return lockedUntil(clientAddress).isPresent();
    }

    /**
     * Records a failed authentication, logs it, and waits the failure delay (unless the address is locked out
     * by this very failure: the session then closes at once).
     *
     * @param clientAddress the client's IP address, as the session logs it
     * @param user          the login tried, or null when none was given
     * @param mechanism     the SASL mechanism, for the log
     * @param reason        why it failed, for the log only (null for none)
     * @return whether the address is now locked out
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean failed(String clientAddress, String user, String mechanism, String reason)
            throws InterruptedException {
        Instant now = clock.instant();
        prune(now);
        Counter address = addresses.compute(addressKey(clientAddress), (key, old) -> fail(old, now, true));
        int accountFailures = user == null ? 0
                : accounts.compute(accountKey(user), (key, old) -> fail(old, now, false)).failures();
        MailLog.event(null, "auth-failed").with("client", clientAddress).with("user", user)
                .with("mechanism", mechanism).with("failures", address.failures()).with("reason", reason).log();
        if (address.justLocked()) {
            MailLog.event(null, "auth-lockout").with("client", clientAddress).with("until", address.lockedUntil())
                    .with("failures", address.failures()).warn();
        }
        if (address.locked(now)) {
            return true;
        }
        Duration delay = delay(Math.max(address.failures(), accountFailures));
        if (!delay.isZero()) {
            sleeper.sleep(delay);
        }
        return false;
    }

    /** Records a successful authentication: the account's count starts again. Logs it. */
    public void succeeded(String clientAddress, String user, String mechanism) {
        accounts.remove(accountKey(user));
        MailLog.event(null, "auth").with("client", clientAddress).with("user", user).with("mechanism", mechanism)
                .log();
    }

    /** The count after one more failure: a served lockout or a quiet window starts the count afresh. */
    private Counter fail(Counter old, Instant now, boolean mayLock) {
        boolean fresh = old == null || old.stale(now, policy.window())
                || (old.lockedUntil() != null && !old.locked(now));
        int failures = fresh ? 1 : old.failures() + 1;
        Instant lockedUntil = fresh ? null : old.lockedUntil();
        boolean locks = mayLock && lockedUntil == null && failures >= policy.maxFailures();
        return new Counter(failures, now, locks ? now.plus(policy.lockout()) : lockedUntil, locks);
    }

    /** 0 for the first {@value #FREE_FAILURES} failures, then base, 2 base, 4 base... at most the maximum. */
    Duration delay(int failures) {
        if (failures <= FREE_FAILURES || policy.delayBase().isZero()) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - FREE_FAILURES - 1, 30);
        Duration delay = policy.delayBase().multipliedBy(1L << doublings);
        return delay.compareTo(policy.delayMax()) > 0 ? policy.delayMax() : delay;
    }

    private void prune(Instant now) {
        for (Map<String, Counter> map : List.of(addresses, accounts)) {
            if (map.size() > MAX_ENTRIES) {
                map.values().removeIf(c -> c.stale(now, policy.window()));
            }
            if (map.size() > MAX_ENTRIES) {
                // Under a flood of distinct names or addresses, forget counts but keep lockouts.
                map.values().removeIf(c -> !c.locked(now));
            }
        }
    }

    /** IPv4 as it is; IPv6 by its /64 prefix (see the class comment); anything else as it is. */
    static String addressKey(String clientAddress) {
        String text = clientAddress == null ? "" : clientAddress;
        int scope = text.indexOf('%');
        if (scope >= 0) {
            text = text.substring(0, scope);
        }
        if (!text.contains(":") || !text.matches("[0-9A-Fa-f:.]+")) {
            return text;
        }
        try {
            // Only an IPv6 literal reaches here, so this parses and never asks DNS.
            byte[] octets = InetAddress.getByName(text).getAddress();
            if (octets.length == 4) {
                return InetAddress.getByAddress(octets).getHostAddress(); // IPv4-mapped
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((octets[i] & 0xFF) << 8) | (octets[i + 1] & 0xFF))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return text;
        }
    }

    private static String accountKey(String user) {
        return Names.loginKey(user).orElse(user.toLowerCase(Locale.ROOT));
    }
}
