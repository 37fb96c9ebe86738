package dev.tern.auth;

import dev.tern.observe.MailLog;
import dev.tern.observe.Metrics;
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
 * A password check is counted before it runs ({@link #admit}): it reserves a place in the address's and the
 * account's counts, which a failure turns into a failure and a success gives back. Otherwise parallel
 * connections from one address would each get a guess while the slow Argon2id checks ran, before any failure
 * had been recorded. Once an account has more than the free failures (from any addresses), its next check
 * waits until {@code delayBase} doubled per failure (at most {@code accountDelayMax}) has passed since the
 * last one, and only one check of it runs at a time: a guesser spread over many addresses gets a handful of
 * guesses an hour, and the real user, who is then refused with a temporary failure too, gets in again at
 * the latest {@code accountDelayMax} after the last wrong guess (docs/auth.md explains the trade-off).
 * <p>An IPv6 client is counted by its /64 prefix: one host often holds a whole /64 and could otherwise change
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
     * @param accountDelayMax the longest an account under attack makes its next password check wait
     */
    public record Policy(int maxFailures, Duration window, Duration lockout, Duration delayBase, Duration delayMax,
            Duration accountDelayMax) {

        /** The default {@code accountDelayMax}. */
        public static final Duration ACCOUNT_DELAY_MAX = Duration.ofMinutes(5);

        public Policy {
            if (maxFailures < 1 || window.isNegative() || window.isZero() || lockout.isNegative()
                    || delayBase.isNegative() || delayMax.compareTo(delayBase) < 0
                    || accountDelayMax.compareTo(delayBase) < 0) {
                throw new IllegalArgumentException("invalid throttle policy: " + maxFailures + ", " + window + ", "
                        + lockout + ", " + delayBase + ", " + delayMax + ", " + accountDelayMax);
            }
        }

        /** With the default {@link #ACCOUNT_DELAY_MAX}. */
        public Policy(int maxFailures, Duration window, Duration lockout, Duration delayBase, Duration delayMax) {
            this(maxFailures, window, lockout, delayBase, delayMax, ACCOUNT_DELAY_MAX);
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
     * A count of recent failures and of checks running ({@code pending}, reserved by {@link #admit});
     * immutable, replaced through {@link Map#compute}. {@code justLocked} marks the failure that started a
     * lockout, so it is logged once.
     */
    private record Counter(int failures, int pending, Instant last, Instant lockedUntil, boolean justLocked) {

        boolean locked(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }

        /** The window passed since the last failure: the failures no longer count. */
        boolean expired(Instant now, Duration window) {
            return !now.isBefore(last.plus(window));
        }

        /** Nothing left to remember: expired, no lockout runs, no check is running. */
        boolean stale(Instant now, Duration window) {
            return expired(now, window) && !locked(now) && pending == 0;
        }

        Counter withPending(int value) {
            return new Counter(failures, Math.max(0, value), last, lockedUntil, false);
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
        return failed(clientAddress, user, mechanism, reason, false);
    }

    /** As above; {@code reserved} when {@link #admit} reserved the places this failure now takes. */
    boolean failed(String clientAddress, String user, String mechanism, String reason, boolean reserved)
            throws InterruptedException {
        Instant now = clock.instant();
        prune(now);
        Counter address = addresses.compute(addressKey(clientAddress), (key, old) -> fail(old, now, true, reserved));
        int accountFailures = user == null ? 0
                : accounts.compute(accountKey(user), (key, old) -> fail(old, now, false, reserved)).failures();
        Metrics.get().auth(false);
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

    /**
     * Reserves a password check of {@code user} from {@code clientAddress}, before it runs: the reply is
     * empty when it may run (the caller then reports {@link #failed}, {@link #succeeded} or
     * {@link #release} with {@code reserved}), or why it may not, for the log (the session replies
     * {@code 454 4.7.0}, or {@code 421 4.7.0} when the address is locked out). Refused: a locked-out address;
     * an address whose failures and running checks already reach {@code maxFailures}; an account past its
     * free failures whose delay since the last failure has not passed, or whose one check is running.
     */
    Optional<String> admit(String clientAddress, String user) {
        Instant now = clock.instant();
        prune(now);
        String[] refusal = new String[1];
        String account = user == null ? null : accountKey(user);
        if (account != null) {
            accounts.compute(account, (key, old) -> {
                Counter counter = old == null || old.expired(now, policy.window())
                        ? new Counter(0, old == null ? 0 : old.pending(), now, null, false) : old;
                if (counter.failures() > FREE_FAILURES && (counter.pending() > 0
                        || now.isBefore(counter.last().plus(delay(counter.failures(), policy.accountDelayMax()))))) {
                    refusal[0] = "account " + key + " is throttled after " + counter.failures() + " failures";
                    return old;
                }
                return counter.withPending(counter.pending() + 1);
            });
            if (refusal[0] != null) {
                return Optional.of(refusal[0]);
            }
        }
        addresses.compute(addressKey(clientAddress), (key, old) -> {
            // As in fail(): a quiet window or a served lockout starts the count afresh.
            boolean fresh = old == null || (old.expired(now, policy.window()) && !old.locked(now))
                    || (old.lockedUntil() != null && !old.locked(now));
            Counter counter = fresh ? new Counter(0, old == null ? 0 : old.pending(), now, null, false) : old;
            if (counter.locked(now) || counter.failures() + counter.pending() >= policy.maxFailures()) {
                refusal[0] = counter.locked(now) ? "client is locked out"
                        : "client has " + counter.pending() + " checks running after " + counter.failures() + " failures";
                return old;
            }
            return counter.withPending(counter.pending() + 1);
        });
        if (refusal[0] != null && account != null) {
            accounts.computeIfPresent(account, (key, old) -> old.withPending(old.pending() - 1));
        }
        return Optional.ofNullable(refusal[0]);
    }

    /** Logs a check refused by {@link #admit} or for want of a free checker. */
    void refused(String clientAddress, String user, String mechanism, String reason) {
        MailLog.event(null, "auth-throttled").with("client", clientAddress).with("user", user)
                .with("mechanism", mechanism).with("reason", reason).log();
    }

    /** Gives back the places {@link #admit} reserved, for a check that ended neither in failure nor success. */
    void release(String clientAddress, String user) {
        addresses.computeIfPresent(addressKey(clientAddress), (key, old) -> old.withPending(old.pending() - 1));
        if (user != null) {
            accounts.computeIfPresent(accountKey(user), (key, old) -> old.withPending(old.pending() - 1));
        }
    }

    /** Records a successful authentication: the account's count starts again. Logs it. */
    public void succeeded(String clientAddress, String user, String mechanism) {
        succeeded(clientAddress, user, mechanism, false);
    }

    /** As above; {@code reserved} when {@link #admit} reserved a place, which is given back. */
    void succeeded(String clientAddress, String user, String mechanism, boolean reserved) {
        if (reserved) {
            addresses.computeIfPresent(addressKey(clientAddress), (key, old) -> old.withPending(old.pending() - 1));
        }
        accounts.remove(accountKey(user));
        Metrics.get().auth(true);
        MailLog.event(null, "auth").with("client", clientAddress).with("user", user).with("mechanism", mechanism)
                .log();
    }

    /**
     * The count after one more failure: a served lockout or a quiet window starts the count afresh. A
     * {@code reserved} failure takes the place its check reserved.
     */
    private Counter fail(Counter old, Instant now, boolean mayLock, boolean reserved) {
        int pending = old == null ? 0 : Math.max(0, old.pending() - (reserved ? 1 : 0));
        boolean fresh = old == null || (old.expired(now, policy.window()) && !old.locked(now))
                || (old.lockedUntil() != null && !old.locked(now));
        int failures = fresh ? 1 : old.failures() + 1;
        Instant lockedUntil = fresh ? null : old.lockedUntil();
        boolean locks = mayLock && lockedUntil == null && failures >= policy.maxFailures();
        return new Counter(failures, pending, now, locks ? now.plus(policy.lockout()) : lockedUntil, locks);
    }

    /** 0 for the first {@value #FREE_FAILURES} failures, then base, 2 base, 4 base... at most the maximum. */
    Duration delay(int failures) {
        return delay(failures, policy.delayMax());
    }

    private Duration delay(int failures, Duration max) {
        if (failures <= FREE_FAILURES || policy.delayBase().isZero()) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - FREE_FAILURES - 1, 30);
        Duration delay = policy.delayBase().multipliedBy(1L << doublings);
        return delay.compareTo(max) > 0 ? max : delay;
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
