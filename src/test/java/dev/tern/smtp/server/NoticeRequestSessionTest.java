package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.BounceSettings;
import dev.tern.mail.IpNetwork;
import dev.tern.delivery.Outcome;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import dev.tern.mail.Envelope;
import dev.tern.mail.QueueId;
import dev.tern.queue.FileSpool;
import dev.tern.queue.StoredMessage;
import dev.tern.queue.dsn.DsnSink;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The envelope says whether the sender was one of ours, so the queue can refuse to be a backscatter source: an MX
 * client naming a victim as sender and asking {@code NOTIFY=SUCCESS} gets no notice sent to that victim.
 */
class NoticeRequestSessionTest {

    private static final String NOTIFY_SUCCESS = "EHLO c.example\r\nMAIL FROM:<victim@remote.example>\r\n"
            + "RCPT TO:<alice@localhost> NOTIFY=SUCCESS\r\nDATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n";

    @TempDir
    Path data;

    /** Receives the message into a real spool, delivers it (as the queue would report it), and lists the spool. */
    private List<QueueId> receiveAndDeliver(SessionHarness harness, Envelope[] recorded) throws Exception {
        FileSpool spool = new FileSpool(data);
        harness.target = spool;
        harness.run(NOTIFY_SUCCESS);
        StoredMessage message = spool.load(spool.committed().get(0));
        recorded[0] = message.envelope();
        DsnSink sink = new DsnSink(spool, "tern.test", new Address("postmaster", Domain.of("localhost")),
                d -> d.key().equals("localhost"), BounceSettings.defaults(), Clock.systemUTC());
        sink.delivered(message, List.of(Outcome.delivered(message.envelope().recipients().get(0), "localhost/alice")));
        return spool.committed();
    }

    @Test
    void anMxClientsNotifySuccessSendsNoNotice() throws Exception {
        Envelope[] envelope = new Envelope[1];
        List<QueueId> queued = receiveAndDeliver(new SessionHarness(), envelope);
        assertThat(envelope[0].trusted()).isFalse();
        assertThat(envelope[0].fromOurUser()).isFalse();
        assertThat(queued).hasSize(1); // the message itself, and no notice to victim@remote.example
    }

    @Test
    void aTrustedNetworkClientGetsItsNotice() throws Exception {
        SessionHarness harness = new SessionHarness();
        harness.trusted = List.of(IpNetwork.parse("192.0.2.0/24"));
        Envelope[] envelope = new Envelope[1];
        List<QueueId> queued = receiveAndDeliver(harness, envelope);
        assertThat(envelope[0].trusted()).isTrue();
        assertThat(queued).hasSize(2);
    }
}
