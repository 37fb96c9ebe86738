package dev.tern.delivery;

import dev.tern.mail.Recipient;
import dev.tern.observe.MailLog;
import dev.tern.store.Directory;
import java.util.ArrayList;
import java.util.List;

/**
 * The courier the queue calls: recipients in a local domain go to the local courier, all others to the
 * remote one (SMTP). Each courier sees one parcel with its own recipients; the outcomes come back in the
 * order of the parcel's recipients. Neither courier's failure escapes: a courier that throws, or answers with
 * the wrong number of outcomes, leaves its recipients deferred (4.3.0).
 */
public final class RoutingCourier implements Courier {

    private final Directory directory;
    private final Courier local;
    private final Courier remote;

    /**
     * @param directory which domains are local ({@link Directory#isLocalDomain})
     * @param local     usually a {@link LocalCourier}
     * @param remote    usually a {@code delivery.smtp.SmtpCourier}
     */
    public RoutingCourier(Directory directory, Courier local, Courier remote) {
        this.directory = directory;
        this.local = local;
        this.remote = remote;
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
        hand(parcel, local, localIndexes, outcomes, "local");
        hand(parcel, remote, remoteIndexes, outcomes, "smtp");
        return List.of(outcomes);
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
        if (indexes.isEmpty()) {
            return;
        }
        List<Recipient> mine = indexes.stream().map(parcel.recipients()::get).toList();
        List<Outcome> results;
        try {
            results = courier.deliver(parcel.withRecipients(mine));
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
}
