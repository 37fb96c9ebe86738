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
