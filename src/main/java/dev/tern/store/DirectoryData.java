package dev.tern.store;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the directory files hold, in canonical form (see {@link Names}): domains added with the
 * command line (A-labels), users with their stored password, aliases with their targets, and the users whose
 * storage quota is not the default, with theirs in octets (0: none).
 */
record DirectoryData(SortedSet<String> domains, SortedMap<String, StoredPassword> users,
        SortedMap<String, List<String>> aliases, SortedMap<String, Long> quotas) {

    DirectoryData {
        domains = Collections.unmodifiableSortedSet(new TreeSet<>(domains));
        users = Collections.unmodifiableSortedMap(new TreeMap<>(users));
        TreeMap<String, List<String>> copy = new TreeMap<>();
        aliases.forEach((name, targets) -> copy.put(name, List.copyOf(targets)));
        aliases = Collections.unmodifiableSortedMap(copy);
        quotas = Collections.unmodifiableSortedMap(new TreeMap<>(quotas));
    }

    DirectoryData(SortedSet<String> domains, SortedMap<String, StoredPassword> users,
                  SortedMap<String, List<String>> aliases) {
        this(domains, users, aliases, new TreeMap<>());
    }

    static DirectoryData empty() {
        return new DirectoryData(new TreeSet<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    DirectoryData withDomains(SortedSet<String> newDomains) {
        return new DirectoryData(newDomains, users, aliases, quotas);
    }

    DirectoryData withUsers(SortedMap<String, StoredPassword> newUsers) {
        return new DirectoryData(domains, newUsers, aliases, quotas);
    }

    DirectoryData withAliases(SortedMap<String, List<String>> newAliases) {
        return new DirectoryData(domains, users, newAliases, quotas);
    }

    DirectoryData withQuotas(SortedMap<String, Long> newQuotas) {
        return new DirectoryData(domains, users, aliases, newQuotas);
    }
}
