package dev.tern.delivery;

import dev.tern.mail.Domain;
import dev.tern.mail.Recipient;
import dev.tern.observe.MailLog;
import dev.tern.store.Directory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * The courier the queue calls: recipients in a local domain go to the local courier, all others to the
 * remote one (SMTP). Each courier sees one parcel with its own recipients; the outcomes come back in the
 * order of the parcel's recipients. Neither courier's failure escapes: a courier that throws, or answers with
 * the wrong number of outcomes, leaves its recipients deferred (4.3.0).
 *
 * <p>Local delivery has a lane of its own: at most {@code localThreads} local deliveries run at once, and
 * nothing a remote delivery holds (connection permits, a stalled server) is ever waited for here. The local
 * recipients of a message go first, so a slow remote server delays only the recording of their outcome.
 *
 * <p>The local domains that a mailbox server holds ({@code [lmtp]}) go to the LMTP courier instead of the
 * Maildir one, in the same lane: both are local delivery, and both wait on the same kind of resource.
 */
public final class RoutingCourier implements Courier {

    /** The local lane's size where the caller does not say: the old single pool's default. */
    static final int DEFAULT_LOCAL_THREADS = 20;

    private final Directory directory;
    private final Courier local;
    private final Courier lmtp;
    private final Predicate<Domain> lmtpDomains;
    private final Courier remote;
    private final Semaphore localPermits;

    /**
     * @param directory which domains are local ({@link Directory#isLocalDomain})
     * @param local     usually a {@link LocalCourier}
     * @param remote    usually a {@code delivery.smtp.SmtpCourier}
     */
    public RoutingCourier(Directory directory, Courier local, Courier remote) {
        this(directory, local, remote, DEFAULT_LOCAL_THREADS);
    }

    /** As above, with {@code localThreads} local deliveries at most at once ({@code local_delivery_threads}). */
    public RoutingCourier(Directory directory, Courier local, Courier remote, int localThreads) {
        this(directory, local, null, domain -> false, remote, localThreads);
    }

    /**
     * As above, with the local recipients of the domains {@code lmtpDomains} accepts handed to {@code lmtp}
     * (a {@code delivery.lmtp.LmtpCourier}) instead of {@code local}.
     */
    public RoutingCourier(Directory directory, Courier local, Courier lmtp, Predicate<Domain> lmtpDomains,
                          Courier remote, int localThreads) {
        if (localThreads < 1) {
            throw new IllegalArgumentException("localThreads must be at least 1");
        }
        this.directory = directory;
        this.local = local;
        this.lmtp = lmtp;
        this.lmtpDomains = lmtp == null ? domain -> false : lmtpDomains;
        this.remote = remote;
        this.localPermits = new Semaphore(localThreads, true);
    }

    @Override
    public List<Outcome> deliver(Parcel parcel) {
        List<Integer> localIndexes = new ArrayList<>();
        List<Integer> remoteIndexes = new ArrayList<>();
        List<Recipient> recipients = parcel.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            (isLocal(recipients.get(i)) ? localIndexes : remoteIndexes).add(i);
        }
        Outcome[] outcomes = new Outcome[recipients.size()];
        if (!localIndexes.isEmpty()) {
            handLocal(parcel, localIndexes, outcomes);
        }
        hand(parcel, remote, remoteIndexes, outcomes, "smtp");
        return List.of(outcomes);
    }

    /**
     * The local recipients, under a permit of the local lane while their copies are written; the wait for the
     * copies to become durable (a mailbox's directory sync gathers for a few milliseconds) holds no permit.
     */
    private void handLocal(Parcel parcel, List<Integer> indexes, Outcome[] outcomes) {
        try {
            localPermits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (int i : indexes) {
                outcomes[i] = Outcome.deferred(parcel.recipients().get(i), "4.3.0", "delivery interrupted", "local");
            }
            return;
        }
        List<Integer> maildir = new ArrayList<>();
        List<Integer> mailboxServer = new ArrayList<>();
        Courier.Started toMaildir;
        Courier.Started toMailboxServer;
        try {
            for (int i : indexes) {
                (lmtpDomains.test(parcel.recipients().get(i).address().domain()) ? mailboxServer : maildir).add(i);
            }
            toMaildir = start(parcel, local, maildir);
            toMailboxServer = start(parcel, lmtp, mailboxServer);
        } finally {
            localPermits.release();
        }
        finish(parcel, toMaildir, maildir, outcomes, "local");
        finish(parcel, toMailboxServer, mailboxServer, outcomes, "lmtp");
    }

    private boolean isLocal(Recipient r) {
        // A domain we cannot classify now is treated as local: the local courier then defers it, rather
        // than sending our own users' mail to the world.
        try {
            return directory.isLocalDomain(r.address().domain());
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static void hand(Parcel parcel, Courier courier, List<Integer> indexes, Outcome[] outcomes, String name) {
        finish(parcel, start(parcel, courier, indexes), indexes, outcomes, name);
    }

    /** The courier's delivery to the recipients at {@code indexes}, started; a courier that throws finishes so. */
    private static Courier.Started start(Parcel parcel, Courier courier, List<Integer> indexes) {
        if (indexes.isEmpty()) {
            return List::of;
        }
        try {
            return courier.start(parcel.withRecipients(recipients(parcel, indexes)));
        } catch (RuntimeException e) {
            return () -> {
                throw e;
            };
        }
    }

    private static void finish(Parcel parcel, Courier.Started started, List<Integer> indexes, Outcome[] outcomes,
                               String name) {
        if (indexes.isEmpty()) {
            return;
        }
        List<Recipient> mine = recipients(parcel, indexes);
        List<Outcome> results;
        try {
            results = started.outcomes();
            if (results.size() != mine.size()) {
                throw new IllegalStateException(name + " courier gave " + results.size() + " outcomes for "
                        + mine.size() + " recipients");
            }
        } catch (RuntimeException e) {
            MailLog.event(parcel.id().value(), "courier-error").with("courier", name).with("reason", e.toString())
                    .warn();
            results = mine.stream().map(r -> Outcome.deferred(r, "4.3.0", "internal error during delivery", name))
                    .toList();
        }
        for (int i = 0; i < indexes.size(); i++) {
            outcomes[indexes.get(i)] = results.get(i);
        }
    }

    private static List<Recipient> recipients(Parcel parcel, List<Integer> indexes) {
        return indexes.stream().map(parcel.recipients()::get).toList();
    }
}
