package dev.tern.delivery;

import java.util.List;

/**
 * Carries one queued message to some of its recipients: a local mailbox, or (later) a remote server.
 * The queue calls it from a delivery thread and records each outcome durably before the next step.
 */
public interface Courier {

    /**
     * Attempts delivery. Never throws for a recipient's trouble: each recipient gets an outcome.
     *
     * @return one outcome per recipient of {@code parcel}, in the same order
     */
    List<Outcome> deliver(Parcel parcel);

    /**
     * Starts a delivery and returns what finishes it, for a caller that holds something only the first part needs
     * (the local lane's permit in {@code RoutingCourier}): a courier whose work ends in a wait for it to become
     * durable ({@link LocalCourier}: the mailboxes' directory syncs, which gather) does the work here and the wait
     * in {@link Started#outcomes}. By default the whole delivery happens here.
     */
    default Started start(Parcel parcel) {
        List<Outcome> outcomes = deliver(parcel);
        return () -> outcomes;
    }

    /** A delivery under way. */
    @FunctionalInterface
    interface Started {
        /** One outcome per recipient, in order, once each is final; like {@link #deliver}, never for trouble. */
        List<Outcome> outcomes();
    }
}
