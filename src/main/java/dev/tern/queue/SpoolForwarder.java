package dev.tern.queue;

import dev.tern.delivery.Forwarder;
import dev.tern.delivery.Parcel;
import dev.tern.mail.Envelope;
import dev.tern.observe.MailLog;
import java.io.IOException;
import java.io.InputStream;

/**
 * The production {@link Forwarder}: a forwarded copy is committed to the same spool as any received message
 * (fsync'd before this returns) and handed to the runner, with the content of the original unchanged.
 */
public final class SpoolForwarder implements Forwarder {

    private final Spool spool;

    public SpoolForwarder(Spool spool) {
        this.spool = spool;
    }

    @Override
    public String forward(Parcel parcel, Envelope envelope) throws IOException {
        try (Spool.Draft draft = spool.create(); InputStream content = parcel.content().open()) {
            content.transferTo(draft.content());
            draft.content().flush();
            draft.commit(envelope);
            MailLog.event(draft.id().value(), "queued").address("from", envelope.sender())
                    .with("orig", parcel.id().value()).with("rcpts", envelope.recipients().size())
                    .with("size", parcel.content().size()).log();
            return draft.id().value();
        }
    }
}
