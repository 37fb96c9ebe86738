package dev.tern.queue;

import dev.tern.delivery.Outcome;
import java.util.List;

/**
 * Where failed recipients are reported so that a delivery status notification (RFC 3464) can be sent.
 * Called on a delivery thread after the attempt that failed them, while the message (and its content, for
 * RET=FULL) is still in the spool, and before the failure is recorded; a crash in between may report the
 * same failure twice, never lose it.
 */
public interface BounceSink {

    void failed(StoredMessage message, List<Outcome> failures);
}
