package dev.tern.auth;

import java.util.Arrays;

/**
 * What a {@link SaslMechanism} answers to each client message: another challenge, or the end of the
 * exchange with a verdict. The session turns each into a reply (RFC 4954 §4): a {@code 334} line with the
 * challenge in Base64, {@code 235 2.7.0} on success, {@code 535 5.7.8} on failure, {@code 454 4.7.0} when the
 * check could not run now.
 */
public sealed interface SaslStep {

    /** The exchange goes on: send {@code 334 } and these octets in Base64 (no octets: {@code "334 "}). */
    record Challenge(byte[] data) implements SaslStep {
        public Challenge {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Challenge c && Arrays.equals(data, c.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Challenge[" + data.length + " octets]";
        }
    }

    /**
     * The client proved it is {@code user}: the canonical form of its login ({@code alice@example.com},
     * local part in lower case, domain as a lower-case A-label), the name to authorize senders with.
     */
    record Success(String user) implements SaslStep {
    }

    /**
     * The exchange failed. {@code attemptedUser} is the login the client gave, as it gave it, or null when
     * the exchange failed before one was known; {@code reasonForLog} says why, for the operator's log only:
     * the reply to the client is the same {@code 535 5.7.8} whatever the reason, so a guesser learns nothing
     * (in particular not whether the user exists).
     */
    record Failure(String attemptedUser, String reasonForLog) implements SaslStep {
    }

    /**
     * The exchange ended without its check being made: the account or client is throttled, or every password
     * checker stayed busy. Not a failure (nothing was guessed); the session replies {@code 454 4.7.0
     * Temporary authentication failure} (RFC 4954 §6), or {@code 421 4.7.0} when the client is locked out.
     */
    record Unavailable(String attemptedUser, String reasonForLog) implements SaslStep {
    }
}
