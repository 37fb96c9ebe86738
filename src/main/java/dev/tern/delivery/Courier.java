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
}
