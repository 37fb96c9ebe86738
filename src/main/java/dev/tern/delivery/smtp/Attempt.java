package dev.tern.delivery.smtp;

import dev.tern.delivery.Outcome;
import java.util.List;

/** What trying one server gave: outcomes for the recipients, or a reason to try the next address. */
sealed interface Attempt {

    /** The server answered for every recipient (accepted, refused, or deferred by its replies). */
    record Done(List<Outcome> outcomes) implements Attempt {
        public Done {
            outcomes = List.copyOf(outcomes);
        }
    }

    /**
     * This server did not take the transaction: connection trouble, a 421, TLS trouble, a refusal before
     * the recipients. The next address is tried; if none is left, the last reason decides.
     *
     * @param status    the RFC 3463 code to report if this is the last address
     * @param permanent whether it is a permanent failure then (the message cannot pass this server, e.g. too
     *                  big), rather than a reason to try again later
     * @param detail    text for the log and the bounce
     * @param where     the server, {@code host[ip]}
     */
    record Next(String status, boolean permanent, String detail, String where) implements Attempt {

        static Next temporary(String status, String detail, String where) {
            return new Next(status, false, detail, where);
        }

        static Next permanent(String status, String detail, String where) {
            return new Next(status, true, detail, where);
        }
    }
}
