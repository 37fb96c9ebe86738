package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.IpNetwork;
import dev.tern.mail.Envelope;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The envelope says whether the sender was one of ours, so the queue can refuse to be a backscatter source. */
class NoticeRequestSessionTest {

    private static final String NOTIFY_SUCCESS = "EHLO c.example\r\nMAIL FROM:<victim@remote.example>\r\n"
            + "RCPT TO:<alice@localhost> NOTIFY=SUCCESS\r\nDATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n";

    @Test
    void anMxClientIsNotOurs() {
        SessionHarness harness = new SessionHarness();
        harness.run(NOTIFY_SUCCESS);
        Envelope e = harness.spool.committed.get(0).envelope();
        assertThat(e.trusted()).isFalse();
        assertThat(e.fromOurUser()).isFalse();
    }

    @Test
    void aTrustedNetworkClientIsRecordedAsTrusted() {
        SessionHarness harness = new SessionHarness();
        harness.trusted = List.of(IpNetwork.parse("192.0.2.0/24"));
        harness.run(NOTIFY_SUCCESS);
        Envelope e = harness.spool.committed.get(0).envelope();
        assertThat(e.trusted()).isTrue();
        assertThat(e.fromOurUser()).isTrue();
    }
}
