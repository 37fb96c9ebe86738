package dev.tern.store;

import java.util.Optional;

/** Password hashes of local users, for authentication (SASL) to check a login against. */
public interface Credentials {

    /**
     * The stored password hash (a PHC string) of the user whose full address is {@code login}, compared
     * like a recipient (case-insensitive local part, IDNA-aware domain) but without {@code +tag} stripping;
     * empty for no such user or a login that is not an address.
     */
    Optional<String> passwordHash(String login);
}
