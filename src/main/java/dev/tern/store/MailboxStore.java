package dev.tern.store;

import java.io.IOException;
import java.io.InputStream;

/** Mailboxes of local users. The embedded backend is Maildir. */
public interface MailboxStore {

    /**
     * Stores one message in the user's inbox atomically and durably: a reader never sees a partial file,
     * and it returns only once the message is fsync'd (Maildir: {@code tmp/} → fsync → rename → {@code new/}).
     *
     * @param user    canonical user address as returned by {@link Directory#resolve}
     * @param prefix  header lines to put first (e.g. {@code Return-Path:}, {@code Delivered-To:}), CRLF-ended
     * @param content the message as it sits in the queue
     * @return where it went (a path or key, for the mail log)
     */
    default String deliver(String user, byte[] prefix, InputStream content) throws IOException {
        return deliver(user, null, prefix, content);
    }

    /**
     * Stores one message like {@link #deliver(String, byte[], InputStream)}, into a folder of the user's mailbox
     * (created on demand), or the inbox when {@code folder} is null.
     *
     * @param folder a one-level folder name such as {@code Junk} (letters, digits, {@code -}, {@code _}), or null
     */
    String deliver(String user, String folder, byte[] prefix, InputStream content) throws IOException;

    /**
     * Stores one message like {@link #deliver(String, String, byte[], InputStream)}, but may return before it is
     * durable: it is once {@link Placed#awaitDurable} returns. A delivery to several mailboxes places every copy
     * first, so that their syncs run at the same time. By default the message is durable at once.
     */
    default Placed place(String user, String folder, byte[] prefix, InputStream content) throws IOException {
        return Placed.durable(deliver(user, folder, prefix, content));
    }

    /** A message in a mailbox: where it went, and a wait for it to be durable. */
    interface Placed {
        /** Where it went (a path or key, for the mail log). */
        String where();

        /** Returns once the message would survive a crash; throws when it may not. */
        void awaitDurable() throws IOException;

        /** A message that is durable already. */
        static Placed durable(String where) {
            return new Placed() {
                @Override
                public String where() {
                    return where;
                }

                @Override
                public void awaitDurable() {
                }
            };
        }
    }
}
