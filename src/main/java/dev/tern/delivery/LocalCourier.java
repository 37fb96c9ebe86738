package dev.tern.delivery;

import dev.tern.mail.Address;
import dev.tern.mail.Recipient;
import dev.tern.store.Directory;
import dev.tern.store.MailboxStore;
import dev.tern.store.QuotaExceededException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers to local mailboxes. Each recipient is resolved through the {@link Directory} (aliases, +tags,
 * catch-all); each distinct user is written once per parcel, however many recipients reach it, with
 * {@code Return-Path:} (RFC 5321 §4.4: added by the final delivery) and {@code Delivered-To:} before the
 * content, into the parcel's folder (Junk, for DMARC quarantine) when it names one. Storage trouble is temporary (4.3.0, or 4.3.1 when the disk is full, RFC 3463); a mailbox
 * over its quota is 4.2.2 for that recipient only (the queue bounces it with 5.2.2 if it is still full when the
 * message expires); nobody to deliver to is permanent (5.1.1).
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
        Map<String, Result> byUser = new HashMap<>();
        List<Outcome> outcomes = new ArrayList<>(parcel.recipients().size());
        for (Recipient r : parcel.recipients()) {
            outcomes.add(deliver(parcel, r, byUser));
        }
        return outcomes;
    }

    private Outcome deliver(Parcel parcel, Recipient r, Map<String, Result> byUser) {
        List<String> users;
        try {
            users = directory.resolve(r.address());
        } catch (RuntimeException e) {
            return Outcome.deferred(r, "4.3.0", "user directory unavailable", "local");
        }
        if (users.isEmpty()) {
            return Outcome.failed(r, "5.1.1", "no such user", "local");
        }
        List<String> places = new ArrayList<>();
        for (String user : users) {
            Result result = byUser.computeIfAbsent(user, u -> store(parcel, u));
            if (result.error != null) {
                return Outcome.deferred(r, result.error.code, result.error.detail, user);
            }
            places.add(result.where);
        }
        return Outcome.delivered(r, String.join(",", places));
    }

    private Result store(Parcel parcel, String user) {
        byte[] prefix = prefix(parcel.envelope().sender(), user);
        try (InputStream content = parcel.content().open()) {
            return new Result(store.deliver(user, parcel.folder(), prefix, content), null);
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

    private record Result(String where, Failure error) {
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
