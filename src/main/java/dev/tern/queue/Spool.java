package dev.tern.queue;

import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The durable queue as the SMTP session sees it: write a message, then commit it with its envelope.
 *
 * <p>Invariant 1 (docs/architecture.md): {@link Draft#commit} returns only once the content and the
 * envelope are fsync'd, file and directory. The session replies 250 after it returns, 451 if it throws.
 */
public interface Spool {

    /** Opens a new message; its id is fixed now so the {@code Received:} header can name it. */
    Draft create() throws IOException;

    /** Writes a new content from the current message, for {@link Draft#rewrite}. */
    @FunctionalInterface
    interface Rewriter {
        void rewrite(InputStream current, OutputStream replacement) throws IOException;
    }

    /** A message being received. Not thread-safe: one session writes it. */
    interface Draft extends AutoCloseable {

        QueueId id();

        /** Where the session writes the content (trace header first, then the message as received). */
        OutputStream content();

        /**
         * Reads back what was written to {@link #content()} so far (the session checks and signs the message
         * before it commits). Does not see {@link #prepend}ed fields nor leave out {@link #omit}ted ranges.
         */
        InputStream openContent() throws IOException;

        /**
         * Reads back the message as it would be committed now: the {@link #prepend}ed fields, then the content
         * without the {@link #omit}ted ranges (what a milter is shown after the authentication checks).
         */
        InputStream openMessage() throws IOException;

        /**
         * Replaces the content with what {@code rewriter} makes of {@link #openMessage()}, streamed into a new
         * draft file (a milter changed headers or the body); the prepended fields and omitted ranges are part of
         * the new content afterwards, the folder and hold are kept. Nothing is durable before {@link #commit}.
         */
        void rewrite(Rewriter rewriter) throws IOException;

        /**
         * Header fields (each ending in CRLF) to put above the content, stored durably with the message at
         * {@link #commit}: every reader of the committed message (delivery, bounces, {@code tern queue show})
         * sees them first. Each call puts its fields above those of earlier calls. Call before {@link #commit}.
         */
        void prepend(byte[] headerFields);

        /**
         * Leaves octets {@code [offset, offset + length)} of the content as written out of the committed message
         * (a forged header field, RFC 8601 §5). Ranges must not overlap. Call before {@link #commit}.
         */
        void omit(long offset, long length) throws IOException;

        /**
         * Delivers the message into each local recipient's Junk folder instead of the inbox (DMARC quarantine,
         * RFC 7489 §6.3); kept durably with the message. Remote recipients are not affected.
         */
        void deliverToJunk();

        /**
         * Makes content and envelope durable and hands the message to the scheduler.
         *
         * @throws IOException when durability cannot be guaranteed; nothing is left half-written
         */
        void commit(Envelope envelope) throws IOException;

        /**
         * Marks the message to be held: it is committed as usual (durably, before the 250) but never attempted
         * until an operator releases it ({@code tern queue release}). Call before {@link #commit}; the hold is
         * made durable together with the message and survives restarts.
         *
         * @param reason why, for the operator (e.g. the filter rule that asked for it)
         */
        void hold(String reason);

        /** Discards the draft unless it was committed. Never throws. */
        @Override
        void close();
    }
}
