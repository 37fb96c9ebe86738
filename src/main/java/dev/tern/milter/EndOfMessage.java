package dev.tern.milter;

import java.util.List;

/**
 * What the milters said at the end of a message. Their header and body changes are already in the message
 * ({@link MessageSource#rewrite}); what is left for the session is the verdict, the envelope changes and a hold.
 *
 * @param verdict    continue (commit), reject, tempfail or discard
 * @param envelope   sender and recipient changes, in the order the milters sent them
 * @param quarantine why a milter asked to hold the message (SMFIR_QUARANTINE), or null
 */
public record EndOfMessage(Verdict verdict, List<Change> envelope, String quarantine) {

    public EndOfMessage {
        envelope = List.copyOf(envelope);
    }
}
