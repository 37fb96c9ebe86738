package dev.tern.auth;

import dev.tern.store.Credentials;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The SASL mechanisms Tern offers for SMTP AUTH (RFC 4954), checked against the directory's credentials and
 * guarded by an {@link AuthThrottle}. One instance serves the whole server; each {@code AUTH} command gets a
 * fresh {@link SaslMechanism} from {@link #start}.
 *
 * <p>All mechanisms treat an unknown user like a wrong password: same reply, same work (a dummy Argon2id
 * verification for PLAIN and LOGIN, a stand-in salt for SCRAM), so neither the answer nor its time tells a
 * guesser which users exist.
 */
public final class Authenticator {

    /** The mechanisms, strongest first: the order of the EHLO {@code AUTH} keyword. */
    public static final List<String> MECHANISMS =
            List.of(ScramSha256Mechanism.NAME, PlainMechanism.NAME, LoginMechanism.NAME);

    private final Credentials credentials;
    private final AuthThrottle throttle;
    private final PasswordCheck passwords;
    private final FakeScram fakes;
    private final Supplier<String> nonces;

    /**
     * @param credentials  where users' hashes and SCRAM verifiers come from (the directory)
     * @param hasher       the hasher whose cost the dummy verification for unknown users uses (one hash is
     *                     made here, at the hasher's cost)
     * @param throttle     records failures and successes
     * @param serverSecret at least 16 octets kept across restarts ({@link ServerSecret#loadOrCreate})
     */
    public Authenticator(Credentials credentials, PasswordHasher hasher, AuthThrottle throttle, byte[] serverSecret) {
        this(credentials, hasher, throttle, serverSecret, CheckLimiter.defaults());
    }

    /**
     * As above, with the limiter that bounds how many Argon2id verifications run at once (one per server: it
     * holds the checkers' threads).
     */
    public Authenticator(Credentials credentials, PasswordHasher hasher, AuthThrottle throttle, byte[] serverSecret,
            CheckLimiter limiter) {
        this(credentials, hasher, throttle, serverSecret, limiter, StoredPasswords.SCRAM_ITERATIONS);
    }

    /**
     * As above, with the iteration count new verifiers get ({@code [auth] scram_iterations}): the stand-in
     * verifiers of unknown users show the same count, so the {@code i=} of a server-first message does not
     * tell them from users who set their password under this setting.
     */
    public Authenticator(Credentials credentials, PasswordHasher hasher, AuthThrottle throttle, byte[] serverSecret,
            CheckLimiter limiter, int scramIterations) {
        this(credentials, new PasswordCheck(credentials, hasher, limiter), throttle, serverSecret, randomNonces(),
                scramIterations);
    }

    /** As above, with the source of SCRAM server nonces (printable ASCII without commas), for tests. */
    Authenticator(Credentials credentials, PasswordHasher hasher, AuthThrottle throttle, byte[] serverSecret,
            Supplier<String> nonces) {
        this(credentials, new PasswordCheck(credentials, hasher), throttle, serverSecret, nonces);
    }

    /** With the password check given (its verifier a test's), for tests. */
    Authenticator(Credentials credentials, PasswordCheck passwords, AuthThrottle throttle, byte[] serverSecret,
            Supplier<String> nonces) {
        this(credentials, passwords, throttle, serverSecret, nonces, StoredPasswords.SCRAM_ITERATIONS);
    }

    private Authenticator(Credentials credentials, PasswordCheck passwords, AuthThrottle throttle,
            byte[] serverSecret, Supplier<String> nonces, int scramIterations) {
        this.credentials = credentials;
        this.throttle = throttle;
        this.passwords = passwords;
        this.fakes = new FakeScram(serverSecret, scramIterations);
        this.nonces = nonces;
    }

    /** A test's authenticator with this password check and random nonces. */
    static Authenticator withCheck(Credentials credentials, PasswordCheck passwords, AuthThrottle throttle,
            byte[] serverSecret) {
        return new Authenticator(credentials, passwords, throttle, serverSecret, randomNonces());
    }

    /** The mechanism names to advertise after {@code AUTH} in the EHLO reply. */
    public List<String> mechanisms() {
        return MECHANISMS;
    }

    /**
     * A new exchange of the named mechanism (compared case-insensitively), reporting its outcome to the
     * throttle under {@code clientAddress}; empty for a mechanism Tern does not offer (the session replies
     * {@code 504 5.5.4}). Whether the client may try at all is {@link #isLockedOut}'s question, asked first.
     */
    public Optional<SaslMechanism> start(String name, String clientAddress) {
        AuthAttempt attempt = new AuthAttempt(throttle, clientAddress);
        SaslMechanism mechanism = switch (name.toUpperCase(Locale.ROOT)) {
            case PlainMechanism.NAME -> new PlainMechanism(passwords, attempt);
            case LoginMechanism.NAME -> new LoginMechanism(passwords, attempt);
            case ScramSha256Mechanism.NAME -> new ScramSha256Mechanism(credentials, fakes, nonces, attempt);
            default -> null;
        };
        return Optional.ofNullable(mechanism).map(m -> new ThrottledMechanism(m, attempt));
    }

    /** Whether this client address is locked out after too many failures: refuse AUTH with 421 and close. */
    public boolean isLockedOut(String clientAddress) {
        return throttle.isLockedOut(clientAddress);
    }

    public AuthThrottle throttle() {
        return throttle;
    }

    /** 18 random octets in Base64: 144 bits, printable, never a comma. */
    private static Supplier<String> randomNonces() {
        SecureRandom random = new SecureRandom();
        Base64.Encoder encoder = Base64.getEncoder();
        return () -> {
            byte[] octets = new byte[18];
            random.nextBytes(octets);
            return encoder.encodeToString(octets);
        };
    }
}
