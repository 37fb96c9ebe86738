package dev.tern.delivery.lmtp;

import dev.tern.delivery.Outcome;
import dev.tern.mail.Address;
import dev.tern.mail.Recipient;
import dev.tern.store.Directory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which mailbox names the LMTP server is given for a parcel's recipients. Tern's directory is asked first, so
 * its aliases, {@code +tag}s and catch-alls keep working: each user it resolves to is one RCPT, sent once
 * however many recipients reach it (as the local courier writes each user once). An address the directory does
 * not know is given to the server as it is: the mailbox server keeps its own users (Dovecot's userdb), and
 * answers for them.
 *
 * @param names     the distinct mailbox names, in first-seen order
 * @param reach     for each recipient, the indexes into {@code names} it reaches (empty when decided)
 * @param decided   for each recipient, an outcome known without asking the server, or null
 */
record Mailboxes(List<String> names, List<List<Integer>> reach, List<Outcome> decided) {

    static Mailboxes of(List<Recipient> recipients, Directory directory, String where) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<List<Integer>> reach = new ArrayList<>();
        List<Outcome> decided = new ArrayList<>();
        for (Recipient r : recipients) {
            List<String> names;
            try {
                names = names(r.address(), directory);
            } catch (RuntimeException e) {
                reach.add(List.of());
                decided.add(Outcome.deferred(r, "4.3.0", "user directory unavailable", where));
                continue;
            }
            List<Integer> mine = new ArrayList<>();
            for (String name : names) {
                mine.add(index.computeIfAbsent(name, n -> index.size()));
            }
            reach.add(mine);
            decided.add(null);
        }
        return new Mailboxes(List.copyOf(index.keySet()), reach, decided);
    }

    /** The names one address is delivered to: the directory's users, or the address itself. */
    static List<String> names(Address address, Directory directory) {
        List<String> users = directory.resolve(address);
        return users.isEmpty() ? List.of(path(address)) : users;
    }

    /** The address as the server is given it: the domain in A-labels, the local part as received. */
    static String path(Address address) {
        return address.localPart() + "@" + address.domain().key();
    }

    /** Whether a name needs SMTPUTF8 (RFC 6531 §3.3) to be given to the server at all. */
    static boolean international(String name) {
        return !name.chars().allMatch(c -> c < 0x80);
    }

    /**
     * Each recipient's outcome from its mailboxes' answers: delivered when all were, else deferred when any was
     * (the next attempt tries again), else failed.
     */
    List<Outcome> outcomes(List<Recipient> recipients, LmtpCourier.Answer[] answers) {
        List<Outcome> out = new ArrayList<>(recipients.size());
        for (int i = 0; i < recipients.size(); i++) {
            Outcome known = decided.get(i);
            out.add(known != null ? known : combine(recipients.get(i), reach.get(i), answers));
        }
        return out;
    }

    /** Delivered, then failed, then deferred: a recipient is tried again whenever one of its mailboxes may take it. */
    private static int rank(Outcome.Status status) {
        return switch (status) {
            case DELIVERED -> 0;
            case FAILED -> 1;
            case DEFERRED -> 2;
        };
    }

    private Outcome combine(Recipient r, List<Integer> mine, LmtpCourier.Answer[] answers) {
        LmtpCourier.Answer worst = null;
        List<String> places = new ArrayList<>();
        for (int i : mine) {
            LmtpCourier.Answer a = answers[i];
            if (worst == null || rank(a.status()) > rank(worst.status())) {
                worst = a;
            }
            places.add(names.get(i));
        }
        return switch (worst.status()) {
            case DELIVERED -> new Outcome(r, Outcome.Status.DELIVERED, worst.enhanced(), worst.detail(),
                    String.join(",", places));
            case DEFERRED -> Outcome.deferred(r, worst.enhanced(), worst.detail(), worst.where());
            case FAILED -> Outcome.failed(r, worst.enhanced(), worst.detail(), worst.where());
        };
    }
}
