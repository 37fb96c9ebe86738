package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTest {

    private static final String ONE_MESSAGE = "EHLO c.example\r\nMAIL FROM:<a@remote.example>\r\n"
            + "RCPT TO:<alice@localhost>\r\nDATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n";

    /** Invariant 1: when the spool cannot make the message durable, the answer is 451, never 250. */
    @Test
    void spoolFailureGives451AndNo250() {
        SessionHarness harness = new SessionHarness();
        harness.spool.failCommit = true;

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).contains("451 4.3.0 Requested action aborted: local error in processing");
        assertThat(replies).noneMatch(line -> line.startsWith("250 2.0.0 OK: queued"));
        assertThat(harness.spool.committed).isEmpty();
        assertThat(harness.spool.openDrafts).isZero();
    }

    @Test
    void acceptedMessageCarriesTheEnvelope() {
        SessionHarness harness = new SessionHarness();

        List<String> replies = harness.run(ONE_MESSAGE);

        assertThat(replies).anyMatch(line -> line.startsWith("250 2.0.0 OK: queued as "));
        MemorySpool.Stored stored = harness.spool.committed.get(0);
        assertThat(stored.envelope().sender().toString()).isEqualTo("a@remote.example");
        assertThat(stored.envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("alice@localhost");
        assertThat(stored.envelope().helo()).isEqualTo("c.example");
        assertThat(stored.envelope().client()).isEqualTo("192.0.2.1");
        assertThat(replies.stream().filter(l -> l.startsWith("250 2.0.0 OK: queued as ")).findFirst().orElseThrow())
                .endsWith(stored.id().value());
    }

    @Test
    void dsnParametersAreKept() {
        SessionHarness harness = new SessionHarness();

        harness.run("EHLO c.example\r\nMAIL FROM:<a@remote.example> RET=HDRS ENVID=ID+2B1\r\n"
                + "RCPT TO:<alice@localhost> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;alice@localhost\r\n"
                + "DATA\r\n\r\n.\r\nQUIT\r\n");

        var envelope = harness.spool.committed.get(0).envelope();
        assertThat(envelope.ret()).isEqualTo(dev.tern.mail.Envelope.Ret.HDRS);
        assertThat(envelope.envid()).isEqualTo("ID+2B1");
        assertThat(envelope.recipients().get(0).notifyOn())
                .containsExactlyInAnyOrder(dev.tern.mail.Recipient.Notify.SUCCESS, dev.tern.mail.Recipient.Notify.DELAY);
        assertThat(envelope.recipients().get(0).orcpt()).isEqualTo("rfc822;alice@localhost");
    }
}
