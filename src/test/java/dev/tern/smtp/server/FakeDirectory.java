package dev.tern.smtp.server;

import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.store.Directory;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A fixed directory: domains {@code localhost} and {@code example.test}, a few users. */
final class FakeDirectory implements Directory {

    private static final Set<String> DOMAINS = Set.of("localhost", "example.test", "xn--bcher-kva.example");
    private static final Set<String> USERS = Set.of("alice@localhost", "bob@localhost", "alice@example.test",
            "postmaster@localhost", "jörg@xn--bcher-kva.example");

    @Override
    public boolean isLocalDomain(Domain domain) {
        return DOMAINS.contains(domain.key());
    }

    @Override
    public List<String> ownersOf(Address address) {
        String local = address.unquotedLocalPart().toLowerCase(Locale.ROOT);
        int plus = local.indexOf('+');
        String key = (plus > 0 ? local.substring(0, plus) : local) + "@" + address.domain().key();
        return USERS.contains(key) ? List.of(key) : List.of();
    }

    @Override
    public List<String> resolve(Address recipient) {
        String local = recipient.unquotedLocalPart().toLowerCase(Locale.ROOT);
        int plus = local.indexOf('+');
        if (plus > 0) {
            local = local.substring(0, plus);
        }
        String key = local + "@" + recipient.domain().key();
        if (local.equals("postmaster")) {
            return List.of("postmaster@localhost");
        }
        return USERS.contains(key) ? List.of(key) : List.of();
    }
}
