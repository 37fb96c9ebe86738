package dev.tern.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.mail.Recipient;
import dev.tern.store.Directory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RoutingCourierTest {

    /** Answers delivered with its own name as {@code where}, and remembers the recipients it was given. */
    private static final class NamedCourier implements Courier {
        final String name;
        final List<List<String>> calls = new ArrayList<>();
        boolean explode;

        NamedCourier(String name) {
            this.name = name;
        }

        @Override
        public List<Outcome> deliver(Parcel parcel) {
            calls.add(parcel.recipients().stream().map(r -> r.address().toString()).toList());
            if (explode) {
                throw new IllegalStateException("boom");
            }
            return parcel.recipients().stream().map(r -> Outcome.delivered(r, name)).toList();
        }
    }

    private final Directory directory = new Directory() {
        @Override
        public boolean isLocalDomain(Domain domain) {
            return domain.key().equals("here.test") || domain.key().equals("dovecot.test");
        }

        @Override
        public List<String> resolve(Address recipient) {
            return List.of();
        }
    };
    private final NamedCourier local = new NamedCourier("local");
    private final NamedCourier remote = new NamedCourier("remote");
    private final RoutingCourier router = new RoutingCourier(directory, local, remote);

    private static Parcel parcel(String... recipients) {
        List<Recipient> rs = Arrays.stream(recipients).map(r -> {
            int at = r.indexOf('@');
            return Recipient.of(new Address(r.substring(0, at), Domain.of(r.substring(at + 1))));
        }).toList();
        Envelope e = new Envelope(Address.NULL, rs, Envelope.BodyType.SEVEN_BIT, false, null, null, "c", "192.0.2.1",
                null, Instant.now());
        return new Parcel(QueueId.next(), e, rs, new Parcel.Content() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(new byte[0]);
            }

            @Override
            public long size() {
                return 0;
            }
        });
    }

    @Test
    void localDomainsGoToTheLocalCourierTheRestOutAndOutcomesKeepTheOrder() {
        List<Outcome> outcomes = router.deliver(parcel("a@here.test", "b@far.test", "c@HERE.test", "d@other.test"));
        assertThat(outcomes).extracting(o -> o.recipient().address() + "=" + o.where())
                .containsExactly("a@here.test=local", "b@far.test=remote", "c@HERE.test=local", "d@other.test=remote");
        assertThat(local.calls).containsExactly(List.of("a@here.test", "c@HERE.test"));
        assertThat(remote.calls).containsExactly(List.of("b@far.test", "d@other.test"));
    }

    @Test
    void aCourierWithNothingToDoIsNotCalled() {
        router.deliver(parcel("a@here.test"));
        assertThat(remote.calls).isEmpty();
    }

    @Test
    void aCourierThatThrowsLeavesOnlyItsRecipientsDeferred() {
        remote.explode = true;
        List<Outcome> outcomes = router.deliver(parcel("a@here.test", "b@far.test"));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Outcome.Status.DELIVERED,
                Outcome.Status.DEFERRED);
        assertThat(outcomes.get(1).enhancedCode()).isEqualTo("4.3.0");
    }

    /** Delivers once {@link #gate} opens, counting the deliveries inside it at once. */
    private static final class GatedCourier implements Courier {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger mostInside = new AtomicInteger();

        @Override
        public List<Outcome> deliver(Parcel parcel) {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            entered.countDown();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inside.decrementAndGet();
            }
            return parcel.recipients().stream().map(r -> Outcome.delivered(r, "gated")).toList();
        }
    }

    @Test
    @Timeout(30)
    void localMailNeverWaitsForAStalledRemoteDelivery() throws Exception {
        GatedCourier stalled = new GatedCourier();
        RoutingCourier lanes = new RoutingCourier(directory, local, stalled, 1);
        Thread remoteThread = Thread.ofVirtual().start(() -> lanes.deliver(parcel("x@far.test")));
        assertThat(stalled.entered.await(10, TimeUnit.SECONDS)).isTrue();

        // The one local permit is free: a stalled remote delivery holds nothing of the local lane.
        assertThat(lanes.deliver(parcel("a@here.test"))).extracting(Outcome::where).containsExactly("local");

        stalled.gate.countDown();
        remoteThread.join();
    }

    @Test
    @Timeout(30)
    void atMostLocalThreadsLocalDeliveriesRunAtOnce() throws Exception {
        GatedCourier mailbox = new GatedCourier();
        RoutingCourier lanes = new RoutingCourier(directory, mailbox, remote, 2);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            threads.add(Thread.ofVirtual().start(() -> lanes.deliver(parcel("a@here.test"))));
        }
        // Every thread parked: two inside the mailbox, three waiting for the lane (without it, five inside, and
        // this never holds: the test's timeout fails it).
        while (mailbox.inside.get() != 2 || threads.stream().filter(t -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING).count() < 5) {
            Thread.sleep(5);
        }
        mailbox.gate.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(mailbox.mostInside.get()).isEqualTo(2);
    }

    @Test
    void theMailboxServersDomainsGoOverLmtpAndTheOtherLocalOnesToMaildir() {
        NamedCourier lmtp = new NamedCourier("lmtp");
        RoutingCourier router = new RoutingCourier(directory, local, lmtp, d -> d.key().equals("dovecot.test"),
                remote, 1);
        List<Outcome> outcomes = router.deliver(parcel("a@dovecot.test", "b@here.test", "c@far.test", "d@dovecot.test"));

        assertThat(outcomes).extracting(Outcome::where).containsExactly("lmtp", "local", "remote", "lmtp");
        assertThat(lmtp.calls).containsExactly(List.of("a@dovecot.test", "d@dovecot.test"));
        assertThat(local.calls).containsExactly(List.of("b@here.test"));
    }

    @Test
    @Timeout(30)
    void lmtpDeliveriesShareTheLocalLane() throws Exception {
        GatedCourier lmtp = new GatedCourier();
        RoutingCourier lanes = new RoutingCourier(directory, local, lmtp, d -> d.key().equals("dovecot.test"),
                remote, 1);
        Thread first = Thread.ofVirtual().start(() -> lanes.deliver(parcel("a@dovecot.test")));
        assertThat(lmtp.entered.await(10, TimeUnit.SECONDS)).isTrue();
        Thread second = Thread.ofVirtual().start(() -> lanes.deliver(parcel("b@here.test")));
        // The one local permit is held by the LMTP delivery: the Maildir one waits for it.
        while (second.getState() != Thread.State.WAITING) {
            Thread.sleep(5);
        }
        assertThat(local.calls).isEmpty();
        lmtp.gate.countDown();
        first.join();
        second.join();
        assertThat(local.calls).containsExactly(List.of("b@here.test"));
    }

    @Test
    @Timeout(30)
    void waitingForCopiesToBeDurableHoldsNoPermitOfTheLocalLane() throws Exception {
        CountDownLatch durable = new CountDownLatch(1);
        CountDownLatch waiting = new CountDownLatch(1);
        Courier gathering = new Courier() {
            @Override
            public List<Outcome> deliver(Parcel parcel) {
                return start(parcel).outcomes();
            }

            @Override
            public Started start(Parcel parcel) {
                if (parcel.recipients().get(0).address().localPart().equals("slow")) {
                    return () -> {
                        waiting.countDown();
                        awaitQuietly(durable); // a mailbox's directory sync, gathering
                        return parcel.recipients().stream().map(r -> Outcome.delivered(r, "gathered")).toList();
                    };
                }
                return () -> parcel.recipients().stream().map(r -> Outcome.delivered(r, "placed")).toList();
            }
        };
        RoutingCourier lanes = new RoutingCourier(directory, gathering, remote, 1);
        Thread slow = Thread.ofVirtual().start(() -> lanes.deliver(parcel("slow@here.test")));
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();

        // The lane's one permit is free while the first delivery waits for its copies to be durable.
        assertThat(lanes.deliver(parcel("b@here.test"))).extracting(Outcome::where).containsExactly("placed");

        durable.countDown();
        slow.join();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
