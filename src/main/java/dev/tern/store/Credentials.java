package dev.tern.store;

import java.util.Optional;

/**
 * What authentication (SASL) checks a login against: the stored password hash and SCRAM verifier of local
 * users. A login is the user's full address, compared like a recipient (case-insensitive local part,
 * IDNA-aware domain, see {@link Names#loginKey}) but without {@code +tag} stripping.
 */
public interface Credentials {

    /**
     * The stored password hash (a PHC string) of the user whose full address is {@code login}; empty for no
     * such user or a login that is not an address.
     */
    Optional<String> passwordHash(String login);

    /**
     * The SCRAM-SHA-256 verifier of the user whose full address is {@code login}; empty for no such user, a
     * login that is not an address, or a user whose password was set before Tern kept SCRAM verifiers.
     */
    default Optional<ScramCredential> scramSha256(String login) {
        return Optional.empty();
    }
}
