package dev.tern.queue;

import dev.tern.mail.QueueId;
import java.io.IOException;

/** An operator's request the queue cannot carry out; the message is fit to show as it is. */
public final class QueueRefusedException extends IOException {

    public QueueRefusedException(String message) {
        super(message);
    }

    static QueueRefusedException noSuchMessage(QueueId id) {
        return new QueueRefusedException("no such message: " + id);
    }
}
