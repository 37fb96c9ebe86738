package dev.tern.auth;

import dev.tern.store.Credentials;
import dev.tern.store.Names;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * Checks a login and a plain-text password (PLAIN, LOGIN) against the stored Argon2id hash, taking the same
 * time whether or not the user exists: for an unknown user (or a login that is not an address) it verifies
 * against a dummy hash made at start with the same cost, and fails. Otherwise the reply time would tell a
 * guesser which users exist (a real check costs tens of milliseconds, a missing user nothing). Each check
 * first passes the exchange's {@link CheckGate} (the throttle counts it before it runs) and then runs on the
 * {@link CheckLimiter}, which bounds how many run at once.
 */
final class PasswordCheck {

    /** One Argon2id verification; a seam so a test can see which hash was checked. */
    interface Verifier {
        boolean verify(char[] password, String hash);

        boolean verify(byte[] password, String hash);
    }

    private final Credentials credentials;
    private final Verifier verifier;
    private final String dummyHash;
    private final CheckLimiter limiter;

    PasswordCheck(Credentials credentials, PasswordHasher hasher) {
        this(credentials, hasher, CheckLimiter.defaults());
    }

    PasswordCheck(Credentials credentials, PasswordHasher hasher, CheckLimiter limiter) {
        this(credentials, hasher, new Verifier() {
            @Override
            public boolean verify(char[] password, String hash) {
                return hasher.verify(password, hash);
            }

            @Override
            public boolean verify(byte[] password, String hash) {
                return hasher.verify(password, hash);
            }
        }, limiter);
    }

    PasswordCheck(Credentials credentials, PasswordHasher hasher, Verifier verifier) {
        this(credentials, hasher, verifier, CheckLimiter.defaults());
    }

    PasswordCheck(Credentials credentials, PasswordHasher hasher, Verifier verifier, CheckLimiter limiter) {
        this.credentials = credentials;
        this.verifier = verifier;
        this.limiter = limiter;
        byte[] nobody = new byte[24];
        new SecureRandom().nextBytes(nobody);
        this.dummyHash = hasher.hash(nobody); // at the hasher's cost, like the users' hashes it stands in for
    }

    /** The hash an unknown user's password is checked against. */
    String dummyHash() {
        return dummyHash;
    }

    /**
     * The canonical user when {@code password} (UTF-8 octets, as PLAIN and LOGIN carry it) matches
     * {@code login}'s stored hash; empty otherwise. Runs exactly one Argon2id verification either way.
     */
    Optional<String> check(String login, byte[] password) {
        return check(login, password, CheckGate.OPEN);
    }

    /**
     * As above, once {@code gate} admits the check.
     *
     * @throws CheckRefused when the gate refuses it or no checker became free in time
     */
    Optional<String> check(String login, byte[] password, CheckGate gate) {
        gate.admit(login);
        Optional<String> stored = credentials.passwordHash(login);
        boolean matches = limiter.run(login, () -> verify(password, stored.orElse(dummyHash)));
        return matches && stored.isPresent() ? Names.loginKey(login) : Optional.empty();
    }

    /**
     * Passwords were hashed from their NFC form ({@link PasswordHasher#hash(char[])}), so valid UTF-8 is
     * decoded and normalized the same way; other octets are compared as they are (and will not match).
     */
    private boolean verify(byte[] password, String hash) {
        char[] chars = decode(password);
        if (chars == null) {
            return verifier.verify(password, hash);
        }
        try {
            return verifier.verify(chars, hash);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private static char[] decode(byte[] octets) {
        try {
            CharBuffer buffer = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets));
            char[] out = new char[buffer.remaining()];
            buffer.get(out);
            if (buffer.hasArray()) {
                Arrays.fill(buffer.array(), '\0');
            }
            return out;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
