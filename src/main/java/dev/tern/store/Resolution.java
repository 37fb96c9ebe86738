package dev.tern.store;

import java.util.List;

/**
 * Where mail to one recipient goes: the local users it reaches, and the addresses in other domains that
 * aliases on the way forward it to. Both empty: nobody here (550 5.1.1).
 *
 * @param users    canonical local users ({@code local@domain}), first reached first, without duplicates
 * @param forwards addresses outside the local domains, as the alias names them, without duplicates
 */
public record Resolution(List<String> users, List<String> forwards) {

    public static final Resolution NOBODY = new Resolution(List.of(), List.of());

    public Resolution {
        users = List.copyOf(users);
        forwards = List.copyOf(forwards);
    }

    /** Whether mail to the recipient reaches anyone, here or elsewhere. */
    public boolean reachesAnyone() {
        return !users.isEmpty() || !forwards.isEmpty();
    }
}
