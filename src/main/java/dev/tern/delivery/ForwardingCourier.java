package dev.tern.delivery;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.mail.Envelope;
import dev.tern.mail.Recipient;
import dev.tern.observe.MailLog;
import dev.tern.srs.Srs;
import dev.tern.store.Directory;
import dev.tern.store.Resolution;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forwarding, in front of the courier that delivers: a recipient whose aliases lead to other domains, and a
 * bounce to one of our SRS addresses, are sent on as a new queued message (a {@link Forwarder}), the way
 * Postfix's local delivery re-queues a forwarded message. The copy has its own envelope, so its own retries
 * and bounces, and its content is the stored message byte for byte: a DKIM signature on it stays valid.
 *
 * <p>The envelope of the copy: the recipients are the forward addresses (each with the NOTIFY of the
 * recipient that led to it, and an ORCPT naming that recipient, RFC 3461 §4.2); the sender is rewritten with
 * SRS ({@link Srs#forward}) when SRS is on, unless it is the null sender (a bounce stays one) or in a local
 * domain (SPF already allows us to send for our own domains). Without SRS the sender is kept: the next server's
 * SPF check may then fail, which the operator chose by leaving {@code [srs]} off.
 *
 * <p>The local users of a recipient are delivered first, by the inner courier; the copy is queued only once
 * they all have their message, so a deferral here does not queue the forward twice. A recipient's outcome is
 * delivered once both are done ({@code where=forwarded:<copy id>}).
 */
public final class ForwardingCourier implements Courier {

    private final Directory directory;
    private final Srs srs;
    private final Forwarder forwarder;
    private final Courier inner;
    private final Clock clock;

    /**
     * @param srs       the SRS codec, or null when {@code [srs]} is off
     * @param forwarder where forwarded copies are queued
     * @param inner     the courier for everything else, usually a {@link RoutingCourier}
     */
    public ForwardingCourier(Directory directory, Srs srs, Forwarder forwarder, Courier inner, Clock clock) {
        this.directory = directory;
        this.srs = srs;
        this.forwarder = forwarder;
        this.inner = inner;
        this.clock = clock;
    }

    /** What one recipient needs: the inner courier (its local users), forwards, or a refusal at once. */
    private record Plan(boolean local, List<Address> forwards, Outcome refusal) {
        static final Plan INNER = new Plan(true, List.of(), null);
    }

    @Override
    public List<Outcome> deliver(Parcel parcel) {
        List<Recipient> recipients = parcel.recipients();
        List<Plan> plans = recipients.stream().map(this::plan).toList();
        if (plans.stream().allMatch(p -> p == Plan.INNER)) {
            return inner.deliver(parcel);
        }
        Outcome[] outcomes = new Outcome[recipients.size()];
        List<Integer> toInner = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            if (plans.get(i).refusal() != null) {
                outcomes[i] = plans.get(i).refusal();
            } else if (plans.get(i).local()) {
                toInner.add(i);
            }
        }
        if (!toInner.isEmpty()) {
            List<Outcome> results = inner.deliver(parcel.withRecipients(toInner.stream().map(recipients::get).toList()));
            for (int k = 0; k < toInner.size(); k++) {
                outcomes[toInner.get(k)] = results.get(k);
            }
        }
        forward(parcel, plans, outcomes);
        return List.of(outcomes);
    }

    private Plan plan(Recipient r) {
        Address address = r.address();
        try {
            if (srs != null && Srs.isSrs(address) && address.domain().sameAs(srs.domain())) {
                return switch (srs.reverse(address, false)) {
                    case Srs.Valid valid -> new Plan(false, List.of(valid.original()), null);
                    case Srs.Invalid invalid -> new Plan(false, List.of(),
                            Outcome.failed(r, "5.1.1", "invalid SRS address: " + invalid.reason(), "srs"));
                    case Srs.NotSrs not -> Plan.INNER;
                };
            }
            if (address.isNull() || !directory.isLocalDomain(address.domain())) {
                return Plan.INNER;
            }
            Resolution reach = directory.expand(address);
            if (reach.forwards().isEmpty()) {
                return Plan.INNER;
            }
            List<Address> forwards = new ArrayList<>();
            for (String target : reach.forwards()) {
                forwards.add(Address.parseMailbox(target, true));
            }
            return new Plan(!reach.users().isEmpty(), forwards, null);
        } catch (AddressException | RuntimeException e) {
            return Plan.INNER; // the local courier resolves it again and defers if the directory is in trouble
        }
    }

    /** Queues one copy for every forward of this parcel whose local part is done, and settles their outcomes. */
    private void forward(Parcel parcel, List<Plan> plans, Outcome[] outcomes) {
        Map<String, Recipient> targets = new LinkedHashMap<>();
        List<Integer> forwarding = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            Plan plan = plans.get(i);
            boolean localDone = !plan.local() || outcomes[i].status() == Outcome.Status.DELIVERED;
            if (plan.forwards().isEmpty() || !localDone) {
                continue;
            }
            forwarding.add(i);
            Recipient original = parcel.recipients().get(i);
            for (Address target : plan.forwards()) {
                targets.putIfAbsent(target.key(), new Recipient(target, original.notifyOn(), orcpt(original)));
            }
        }
        if (forwarding.isEmpty()) {
            return;
        }
        Envelope copy = envelope(parcel.envelope(), List.copyOf(targets.values()));
        String id;
        try {
            id = forwarder.forward(parcel, copy);
        } catch (IOException | RuntimeException e) {
            MailLog.event(parcel.id().value(), "forward-failed").with("reason", e.getMessage()).warn();
            for (int i : forwarding) {
                outcomes[i] = Outcome.deferred(parcel.recipients().get(i), "4.3.0", "cannot queue the forwarded copy",
                        "forward");
            }
            return;
        }
        MailLog.event(parcel.id().value(), "forwarded").with("copy", id).address("from", copy.sender())
                .with("rcpts", copy.recipients().size()).log();
        for (int i : forwarding) {
            Outcome local = outcomes[i];
            String where = "forwarded:" + id + (local == null ? "" : "," + local.where());
            outcomes[i] = Outcome.delivered(parcel.recipients().get(i), where);
        }
    }

    private Envelope envelope(Envelope original, List<Recipient> recipients) {
        Address sender = rewrite(original.sender());
        boolean utf8 = original.smtputf8() || sender.isInternational()
                || recipients.stream().anyMatch(r -> r.address().isInternational());
        return new Envelope(sender, recipients, original.body(), utf8, original.ret(), original.envid(), null, null,
                null, false, clock.instant(), original.requireTls());
    }

    /** The sender of the copy: SRS for a foreign sender, unchanged for the null sender and our own domains. */
    private Address rewrite(Address sender) {
        if (srs == null || sender.isNull() || sender.domain().isAddressLiteral()) {
            return sender;
        }
        try {
            if (directory.isLocalDomain(sender.domain())) {
                return sender;
            }
        } catch (RuntimeException e) {
            // unknown: rewrite, which is never wrong for a foreign sender and harmless for one of ours
        }
        return srs.forward(sender);
    }

    /** The ORCPT given, else the recipient as {@code rfc822;} xtext (RFC 3461 §4.2); none for a UTF-8 address. */
    private static String orcpt(Recipient r) {
        if (r.orcpt() != null) {
            return r.orcpt();
        }
        if (r.address().isInternational()) {
            return null;
        }
        StringBuilder out = new StringBuilder("rfc822;");
        for (byte b : r.address().toString().getBytes(StandardCharsets.US_ASCII)) {
            int c = b & 0xff;
            if (c < '!' || c > '~' || c == '+' || c == '=') {
                out.append('+').append(String.format("%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }
}
