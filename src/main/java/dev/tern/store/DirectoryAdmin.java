package dev.tern.store;

import java.io.IOException;
import java.util.List;
import java.util.SortedMap;

/**
 * Changes to the directory, as the {@code tern domain|user|alias} commands make them. Names are checked and
 * canonicalized as {@link Names} describes; a refused change throws {@link DirectoryException} with a
 * message fit for the operator and leaves everything as it was.
 */
public interface DirectoryAdmin {

    /** Every local domain, from the config file and added ones, as A-labels, sorted. */
    List<String> domains() throws IOException;

    /** Adds a local domain; refused when already local. Returns the canonical name. */
    String addDomain(String domain) throws DirectoryException, IOException;

    /** Removes an added domain; refused for a config-file domain and while users or aliases remain in it. */
    String removeDomain(String domain) throws DirectoryException, IOException;

    /** Every user, canonical, sorted. */
    List<String> users() throws IOException;

    /**
     * Adds a user in a local domain with its stored password (hash and, if derived, SCRAM verifier); refused
     * when the user or an alias of that name exists.
     */
    String addUser(String address, StoredPassword password) throws DirectoryException, IOException;

    /** Replaces the stored password (hash and SCRAM verifier, or the lack of one) of an existing user. */
    String setPassword(String address, StoredPassword password) throws DirectoryException, IOException;

    /** Adds a user with a password hash only (no SCRAM verifier: that user cannot log in with SCRAM). */
    default String addUser(String address, String passwordHash) throws DirectoryException, IOException {
        return addUser(address, StoredPassword.of(passwordHash));
    }

    /** Replaces the stored password with a hash only, dropping any SCRAM verifier. */
    default String setPasswordHash(String address, String passwordHash) throws DirectoryException, IOException {
        return setPassword(address, StoredPassword.of(passwordHash));
    }

    /** Every user whose storage quota is not the default, with theirs in octets (0: none), sorted. */
    default SortedMap<String, Long> quotas() throws IOException {
        return new java.util.TreeMap<>();
    }

    /**
     * Sets a user's storage quota in octets (0: no quota at all), or with an empty value goes back to
     * {@code [mailbox] default_quota}. Returns the canonical user.
     */
    default String setQuota(String address, java.util.OptionalLong quota) throws DirectoryException, IOException {
        throw new DirectoryException("this directory keeps no quotas");
    }

    /** Removes a user (the mailbox, if any, stays on disk). */
    String removeUser(String address) throws DirectoryException, IOException;

    /** Every alias (a name or {@code @domain}) with its targets, sorted by name. */
    SortedMap<String, List<String>> aliases() throws IOException;

    /**
     * Adds targets to an alias, creating it if needed; refused when a user has that name. A target in a
     * local domain is a user or another alias; one in any other domain is a forward, sent on by SMTP.
     * Returns the canonical alias name.
     */
    String addAlias(String alias, List<String> targets) throws DirectoryException, IOException;

    /** Removes an alias and all its targets. */
    String removeAlias(String alias) throws DirectoryException, IOException;
}
