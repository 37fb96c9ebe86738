package dev.tern.delivery;

import dev.tern.mail.Address;
import dev.tern.mail.Recipient;
import dev.tern.store.Directory;
import dev.tern.store.MailboxStore;
import dev.tern.store.QuotaExceededException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Delivers to local mailboxes. Each recipient is resolved through the {@link Directory} (aliases, +tags,
 * catch-all); each distinct user is written once per parcel, however many recipients reach it, with
 * {@code Return-Path:} (RFC 5321 §4.4: added by the final delivery) and {@code Delivered-To:} before the
 * content, into the parcel's folder (Junk, for DMARC quarantine) when it names one. Storage trouble is temporary (4.3.0, or 4.3.1 when the disk is full, RFC 3463); a mailbox
 * over its quota is 4.2.2 for that recipient only (the queue bounces it with 5.2.2 if it is still full when the
 * message expires); nobody to deliver to is permanent (5.1.1). Every copy is placed before any is waited for
 * ({@link MailboxStore#place}), so the mailboxes' syncs run at the same time rather than one after another.
 */
public final class LocalCourier implements Courier {

    private final Directory directory;
    private final MailboxStore store;

    public LocalCourier(Directory directory, MailboxStore store) {
        this.directory = directory;
        this.store = store;
    }

    @Override
    public List<Outcome> deliver(Parcel parcel) {
        return start(parcel).outcomes();
    }

    /** Places every copy; the outcomes wait for the copies to be durable. */
    @Override
    public Started start(Parcel parcel) {
        List<List<String>> usersOf = new ArrayList<>(parcel.recipients().size());
        List<Outcome> outcomes = new ArrayList<>(parcel.recipients().size());
        Set<String> users = new LinkedHashSet<>();
        for (Recipient r : parcel.recipients()) {
            Outcome unresolved = null;
            List<String> resolved = List.of();
            try {
                resolved = directory.resolve(r.address());
                if (resolved.isEmpty()) {
                    unresolved = Outcome.failed(r, "5.1.1", "no such user", "local");
                }
            } catch (RuntimeException e) {
                unresolved = Outcome.deferred(r, "4.3.0", "user directory unavailable", "local");
            }
            outcomes.add(unresolved);
            usersOf.add(resolved);
            if (unresolved == null) {
                users.addAll(resolved);
            }
        }
        Parcel.Content content = users.size() > 1 ? InMemory.of(parcel.content()) : parcel.content();
        Map<String, Result> byUser = new LinkedHashMap<>();
        for (String user : users) {
            byUser.put(user, place(parcel, content, user));
        }
        return () -> {
            byUser.values().forEach(Result::awaitDurable);
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i) == null) {
                    outcomes.set(i, outcome(parcel.recipients().get(i), usersOf.get(i), byUser));
                }
            }
            return outcomes;
        };
    }

    private static Outcome outcome(Recipient r, List<String> users, Map<String, Result> byUser) {
        List<String> places = new ArrayList<>();
        for (String user : users) {
            Result result = byUser.get(user);
            if (result.error != null) {
                return Outcome.deferred(r, result.error.code, result.error.detail, user);
            }
            places.add(result.placed.where());
        }
        return Outcome.delivered(r, String.join(",", places));
    }

    private Result place(Parcel parcel, Parcel.Content message, String user) {
        byte[] prefix = prefix(parcel.envelope().sender(), user);
        try (InputStream content = message.open()) {
            return new Result(store.place(user, parcel.folder(), prefix, content), null);
        } catch (IOException | RuntimeException e) {
            return new Result(null, Failure.of(e));
        }
    }

    static byte[] prefix(Address sender, String user) {
        String path = sender == null || sender.isNull() ? "" : oneLine(sender.toString());
        return ("Return-Path: <" + path + ">\r\nDelivered-To: " + oneLine(user) + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Header values never carry a line break, whatever reached us. */
    private static String oneLine(String s) {
        return s.replace("\r", "").replace("\n", "");
    }

    /**
     * A message read once for the copies of several users, when it is small: each copy then costs no file opened
     * and read again (the spool's, for ten users ten times). A larger one, or one that cannot be read now, is
     * left to be read per copy, which reports the trouble per user.
     */
    private record InMemory(byte[] bytes) implements Parcel.Content {
        /** Messages up to this size are read once per parcel: the journal's limit (docs/storage.md) and more. */
        static final long MAX = 1024 * 1024;

        static Parcel.Content of(Parcel.Content content) {
            if (content.size() > MAX) {
                return content;
            }
            try (InputStream in = content.open()) {
                return new InMemory(in.readAllBytes());
            } catch (IOException | RuntimeException e) {
                return content;
            }
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public long size() {
            return bytes.length;
        }
    }

    /** A user's copy: placed (then durable, or failed to be), or failed to be placed. */
    private static final class Result {
        final MailboxStore.Placed placed;
        Failure error;

        Result(MailboxStore.Placed placed, Failure error) {
            this.placed = placed;
            this.error = error;
        }

        void awaitDurable() {
            if (placed == null) {
                return;
            }
            try {
                placed.awaitDurable();
            } catch (IOException | RuntimeException e) {
                error = Failure.of(e);
            }
        }
    }

    private record Failure(String code, String detail) {
        static Failure of(Exception e) {
            if (e instanceof QuotaExceededException) {
                return new Failure("4.2.2", "mailbox full"); // RFC 3463 X.2.2
            }
            String message = String.valueOf(e.getMessage());
            boolean full = message.contains("No space left") || message.contains("Disk quota exceeded");
            return full ? new Failure("4.3.1", "mail system full") : new Failure("4.3.0", "mailbox unavailable");
        }
    }
}
