package dev.tern.queue.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DsnFieldsTest {

    @Test
    void longRepliesFoldNearSeventyEightCharacters() {
        StringBuilder out = new StringBuilder();
        DsnFields.field(out, "Diagnostic-Code", "smtp; 550 5.7.1 " + "word ".repeat(40));
        assertThat(out.toString().split("\r\n")).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(78));
    }

    @Test
    void diagnosticTypeIsSmtpOnlyForSmtpReplies() {
        assertThat(DsnFields.diagnostic("550 5.1.1 no such user")).isEqualTo("smtp; 550 5.1.1 no such user");
        assertThat(DsnFields.diagnostic("452-4.2.2 full")).isEqualTo("smtp; 452-4.2.2 full");
        assertThat(DsnFields.diagnostic("no such user")).isEqualTo("X-Tern; no such user");
        assertThat(DsnFields.diagnostic("550\r\nInjected: yes")).isEqualTo("smtp; 550  Injected: yes");
    }

    @Test
    void aRemoteRefusalAsTheSmtpCourierWordsItGivesTheReplyAlone() {
        assertThat(DsnFields.diagnostic("mx.example.net[192.0.2.7]:25 said: 550 5.1.1 <bob@example.net>: no such"
                + " user (in reply to RCPT TO)")).isEqualTo("smtp; 550 5.1.1 <bob@example.net>: no such user");
        assertThat(DsnFields.diagnostic("mx.example.net[192.0.2.7] said: 554 5.7.1 (spam) go away (in reply to"
                + " end of data)")).isEqualTo("smtp; 554 5.7.1 (spam) go away");
        assertThat(DsnFields.diagnostic("mx.example.net[192.0.2.7] said: 421 4.3.2 closing"))
                .isEqualTo("smtp; 421 4.3.2 closing");
        assertThat(DsnFields.diagnostic("mx.example.net[192.0.2.7] said: nothing useful"))
                .isEqualTo("X-Tern; mx.example.net[192.0.2.7] said: nothing useful");
        assertThat(DsnFields.diagnostic("message expired after 5d in queue; last error: mx.example.net[192.0.2.7]"
                + " said: 451 4.3.0 later (in reply to RCPT TO)")).startsWith("X-Tern; message expired");
    }

    @Test
    void xtextAndRemoteHosts() {
        assertThat(Xtext.decode("Bob+2Bx+3Dy@example.net")).isEqualTo("Bob+x=y@example.net");
        assertThat(Xtext.decode("broken+2")).isEqualTo("broken+2");
        assertThat(RemoteHost.of("mx.example.net[192.0.2.7]:25")).isEqualTo("mx.example.net");
        assertThat(RemoteHost.of("mx.example.net:25")).isEqualTo("mx.example.net");
        assertThat(RemoteHost.of("mx.example.net")).isEqualTo("mx.example.net");
        assertThat(RemoteHost.of("local")).isNull();
        assertThat(RemoteHost.of("localhost/bob/new/1.M2P3Q4.host,S=12")).isNull();
        assertThat(RemoteHost.of(null)).isNull();
    }
}
