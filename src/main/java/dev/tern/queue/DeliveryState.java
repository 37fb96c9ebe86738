package dev.tern.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The per-recipient state of one queued message, index for index with the envelope's recipients.
 * Written to {@code <id>.state} (atomically) only after an attempt that leaves something open.
 *
 * @param recipients  one state per envelope recipient
 * @param delayWarned when the sender was warned that the message is delayed (RFC 3464 "delayed"), or null:
 *                    kept so that the warning is sent once per message, even across restarts
 */
public record DeliveryState(List<RecipientState> recipients, Instant delayWarned) {

    public DeliveryState {
        recipients = List.copyOf(recipients);
    }

    public DeliveryState(List<RecipientState> recipients) {
        this(recipients, null);
    }

    public DeliveryState withDelayWarned(Instant when) {
        return new DeliveryState(recipients, when);
    }

    /** The state of a message not yet attempted. */
    public static DeliveryState initial(int recipientCount) {
        return new DeliveryState(Collections.nCopies(recipientCount, RecipientState.NEW));
    }

    public DeliveryState with(int index, RecipientState state) {
        List<RecipientState> copy = new ArrayList<>(recipients);
        copy.set(index, state);
        return new DeliveryState(copy, delayWarned);
    }

    /** Indexes of the recipients still to attempt, in envelope order. */
    public List<Integer> openIndexes() {
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            if (recipients.get(i).open()) {
                open.add(i);
            }
        }
        return open;
    }

    /** Nothing left to attempt: every recipient is delivered or failed. */
    public boolean finished() {
        return openIndexes().isEmpty();
    }

    /** The earliest next attempt among deferred recipients, or null. */
    public Instant nextAttempt() {
        return recipients.stream().map(RecipientState::nextAttempt).filter(Objects::nonNull)
                .min(Instant::compareTo).orElse(null);
    }
}
