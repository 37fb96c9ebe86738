package dev.tern.queue;

import dev.tern.mail.QueueId;
import java.io.IOException;

/**
 * What an operator may do to the queue ({@code tern queue ...}). {@link QueueRunner} does it in a running
 * server without racing its own attempts; {@link OfflineQueue} edits the spool of a stopped one.
 * Refusals ({@link QueueRefusedException}) carry a message for the operator.
 */
public interface QueueOperations {

    /** Makes every waiting message that is not held due now; returns how many. */
    int flush() throws IOException;

    /** Makes one message due now. */
    void flush(QueueId id) throws IOException;

    /** Removes a message without telling anyone. */
    void delete(QueueId id) throws IOException;

    /** Removes every queued message; returns how many. */
    int deleteAll() throws IOException;

    /** Holds a message: it is not attempted until released; the hold survives restarts. */
    void hold(QueueId id, String reason) throws IOException;

    /** Releases a held message; it is attempted now. */
    void release(QueueId id) throws IOException;

    /**
     * Fails every pending recipient now with {@code 5.0.0 bounced by the operator}: the sender gets a failure
     * notice and the message is removed. Returns how many recipients failed.
     */
    int bounce(QueueId id) throws IOException;

    /** A message another process committed to the spool ({@code tern sendmail}): attempt it now. */
    void enqueued(QueueId id) throws IOException;

    /** The RFC 3463 status and text of {@link #bounce}. */
    String BOUNCE_CODE = "5.0.0";
    String BOUNCE_TEXT = "bounced by the operator";
}
