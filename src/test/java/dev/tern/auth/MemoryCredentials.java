package dev.tern.auth;

import dev.tern.store.Credentials;
import dev.tern.store.Names;
import dev.tern.store.ScramCredential;
import dev.tern.store.StoredPassword;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Credentials in a map, looked up like the directory does (or by the exact name, for RFC examples' "user"). */
final class MemoryCredentials implements Credentials {

    private final Map<String, StoredPassword> users = new HashMap<>();

    MemoryCredentials add(String login, StoredPassword password) {
        users.put(key(login), password);
        return this;
    }

    private static String key(String login) {
        return Names.loginKey(login).orElse(login);
    }

    @Override
    public Optional<String> passwordHash(String login) {
        return Optional.ofNullable(users.get(key(login))).map(StoredPassword::hash);
    }

    @Override
    public Optional<ScramCredential> scramSha256(String login) {
        return Optional.ofNullable(users.get(key(login))).flatMap(StoredPassword::scramSha256);
    }
}
