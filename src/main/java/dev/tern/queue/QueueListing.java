package dev.tern.queue;

import dev.tern.mail.Envelope;
import java.util.ArrayList;
import java.util.List;

/** Builds the read-only view of a queued message from its envelope and delivery state. */
final class QueueListing {

    private QueueListing() {
    }

    static QueuedMessage entry(StoredMessage message, DeliveryState state, Hold hold) {
        Envelope e = message.envelope();
        List<QueuedMessage.Entry> entries = new ArrayList<>();
        for (int i = 0; i < e.recipients().size(); i++) {
            RecipientState s = i < state.recipients().size() ? state.recipients().get(i) : RecipientState.NEW;
            entries.add(new QueuedMessage.Entry(e.recipients().get(i), s));
        }
        return new QueuedMessage(message.id(), e.received(), message.content().size(), e.sender(), entries,
                state.nextAttempt(), hold);
    }
}
