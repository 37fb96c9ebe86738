package dev.tern.store;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One immutable view of the directory, swapped whole when a file changes, so lookups take no lock.
 * Resolution order for {@code local@domain} in a local domain:
 * <ol>
 *   <li>a user of that name; else an alias of that name, its targets resolved in turn;</li>
 *   <li>{@code user+tag}: the same for {@code user} (subaddressing, RFC 5233 style);</li>
 *   <li>{@code postmaster}: the postmaster mailbox of the domain (RFC 5321 §4.5.1 requires it to exist);</li>
 *   <li>the catch-all alias {@code @domain}.</li>
 * </ol>
 * Targets are expanded recursively at most {@link #MAX_DEPTH} levels deep and each alias once per lookup,
 * so a cycle ends instead of looping. A target in a domain that is not local is not looked up: it is a
 * forward, collected apart from the users (the courier sends it on; a loop through another server is ended
 * by the {@code Received:} count).
 */
final class DirectorySnapshot {

    static final int MAX_DEPTH = 8;
    private static final String POSTMASTER = "postmaster";

    private final Set<String> localDomains;
    private final DirectoryData data;

    DirectorySnapshot(Set<String> configDomains, DirectoryData data) {
        Set<String> domains = new HashSet<>(configDomains);
        domains.addAll(data.domains());
        this.localDomains = Set.copyOf(domains);
        this.data = data;
    }

    DirectoryData data() {
        return data;
    }

    boolean isLocal(String domainKey) {
        return localDomains.contains(domainKey);
    }

    Set<String> localDomains() {
        return localDomains;
    }

    /** Canonical users reached by {@code localKey@domainKey}, in first-reached order, without duplicates. */
    List<String> resolve(String localKey, String domainKey) {
        return expand(localKey, domainKey).users();
    }

    /** The users and the forwards reached by {@code localKey@domainKey}, each in first-reached order. */
    Resolution expand(String localKey, String domainKey) {
        Set<String> out = new LinkedHashSet<>();
        Set<String> forwards = new LinkedHashSet<>();
        recipient(localKey, domainKey, 0, new Walk(new HashSet<>(), forwards), out);
        if (out.isEmpty() && forwards.isEmpty() && isLocal(domainKey) && isPostmaster(localKey)) {
            out.add(POSTMASTER + "@" + domainKey); // even when its alias leads nowhere: §4.5.1 is a must
        }
        return new Resolution(List.copyOf(out), List.copyOf(forwards));
    }

    /** What one lookup carries along: the aliases already expanded, and the forwards found. */
    private record Walk(Set<String> seen, Set<String> forwards) {
    }

    /**
     * The users an address names exactly: the user, or the users an alias of that name reaches, or the same
     * for {@code user} of {@code user+tag}; never the catch-all or the postmaster fallback.
     */
    List<String> owners(String localKey, String domainKey) {
        Set<String> out = new LinkedHashSet<>();
        if (isLocal(domainKey)) {
            Walk walk = new Walk(new HashSet<>(), new HashSet<>()); // forwards own no sender identity here
            int plus = localKey.indexOf('+');
            if (!exact(localKey, domainKey, 0, walk, out) && plus > 0) {
                exact(localKey.substring(0, plus), domainKey, 0, walk, out);
            }
        }
        return List.copyOf(out);
    }

    private void recipient(String local, String domain, int depth, Walk seen, Set<String> out) {
        if (!isLocal(domain)) {
            return;
        }
        if (exact(local, domain, depth, seen, out)) {
            return;
        }
        int plus = local.indexOf('+');
        // RFC 5233 subaddressing, only when the tagged name is nobody itself (checked just above).
        if (plus > 0 && exact(local.substring(0, plus), domain, depth, seen, out)) {
            return;
        }
        if (isPostmaster(local)) {
            out.add(POSTMASTER + "@" + domain);
            return;
        }
        expand("@" + domain, depth, seen, out);
    }

    /** A user or an alias of exactly this name; true when the name exists, even if its alias reaches nobody. */
    private boolean exact(String local, String domain, int depth, Walk seen, Set<String> out) {
        String key = local + "@" + domain;
        if (data.users().containsKey(key)) {
            out.add(key);
            return true;
        }
        if (data.aliases().containsKey(key)) {
            expand(key, depth, seen, out);
            return true;
        }
        return false;
    }

    private void expand(String alias, int depth, Walk seen, Set<String> out) {
        List<String> targets = data.aliases().get(alias);
        if (targets == null || depth >= MAX_DEPTH || !seen.seen().add(alias)) {
            return;
        }
        for (String target : targets) {
            String domain = Names.domainOf(target);
            if (isLocal(domain)) {
                recipient(Names.localKey(Names.localOf(target)), domain, depth + 1, seen, out);
            } else {
                seen.forwards().add(target);
            }
        }
    }

    private static boolean isPostmaster(String local) {
        int plus = local.indexOf('+');
        return (plus > 0 ? local.substring(0, plus) : local).equals(POSTMASTER);
    }

    /** The quota override of a canonical user, or null when it has none. */
    Long quota(String user) {
        return data.quotas().get(user);
    }

    /** The stored password of a canonical user, or null. */
    StoredPassword password(String user) {
        return data.users().get(user);
    }
}
