package dev.tern.smtp.server;

import dev.tern.mail.Address;
import dev.tern.mail.Recipient;
import dev.tern.milter.EndOfMessage;
import dev.tern.policy.mailauth.InboundChecks;
import dev.tern.policy.mailauth.InboundResult;
import dev.tern.policy.rules.Facts;
import dev.tern.queue.Spool;
import dev.tern.smtp.protocol.MailParameters.MailOptions;
import dev.tern.smtp.protocol.MessageReader;
import java.util.ArrayList;
import java.util.List;

/** One mail transaction (RFC 5321 §3.3): from MAIL to the end of DATA/BDAT, RSET, or a new EHLO. */
final class Transaction {

    final Address sender;
    final MailOptions options;
    final List<Recipient> recipients = new ArrayList<>();
    final long startedNanos = System.nanoTime();
    boolean recipientRefused;
    /** Set by the first BDAT: the draft being written and the reader carrying state across chunks. */
    Spool.Draft draft;
    MessageReader reader;
    /** On submission listeners: adds Date and Message-ID when missing (RFC 6409 §8). */
    SubmissionFixups fixups;

    /** What the filtering rules know of this transaction (client, HELO, user, sender). */
    final Facts facts;
    /** Set when a rule said "hold": the message is queued but waits for an operator. */
    String holdReason;
    /** Mail from the world: the SPF check started with DATA, finished with the rest of the checks. */
    InboundChecks.Pending checks;
    /** What the checks found, for the mail log. */
    InboundResult authResult;
    /** The domain that DKIM-signed the message, for the mail log. */
    String signedBy;

    /**
     * The message says {@code TLS-Required: No} (RFC 8689 §3, §4.1), judged at the end of the data on the header
     * it is committed with; ignored when MAIL FROM gave REQUIRETLS.
     */
    boolean tlsOptional;
    /** The header as it streamed in had a TLS-Required field ({@link dev.tern.smtp.protocol.HeaderScanner}). */
    boolean tlsRequiredField;
    /** A milter rewrote the message's header or body at its end: what was read of it before is out of date. */
    boolean milterRewrote;

    /** A milter said SMFIR_DISCARD: the message gets its 250 and is thrown away. */
    boolean milterDiscard;
    /** What the milters said at the end of the message (envelope changes, hold), or null. */
    EndOfMessage milterEnd;
    /** Tells the milters the transaction ended without a message (SMFIC_ABORT), or null. */
    Runnable onAbort;

    Transaction(Address sender, MailOptions options, Facts facts) {
        this.sender = sender;
        this.options = options;
        this.facts = facts;
    }

    /** Discards any unfinished message. */
    void abort() {
        if (onAbort != null) {
            onAbort.run();
            onAbort = null;
        }
        if (checks != null) {
            checks.cancel();
            checks = null;
        }
        if (draft != null) {
            draft.close();
            draft = null;
        }
    }
}
