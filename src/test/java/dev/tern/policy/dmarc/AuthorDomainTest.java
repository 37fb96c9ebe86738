package dev.tern.policy.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AuthorDomainTest {

    private static AuthorDomain of(String headers) {
        return AuthorDomain.of((headers + "\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oneAddressInOneFromField() {
        assertThat(of("Subject: hi\r\nFrom: alice@Example.COM\r\n")).isEqualTo(new AuthorDomain.Found("example.com"));
        assertThat(of("From: \"Alice, B\" <alice@example.org>\r\n")).isEqualTo(new AuthorDomain.Found("example.org"));
        assertThat(of("from: (comment) Alice (x@evil.example) <alice@example.net> (more)\r\n"))
                .isEqualTo(new AuthorDomain.Found("example.net"));
        assertThat(of("From: \"a@evil.example\" <b@good.example>\r\n")).isEqualTo(new AuthorDomain.Found("good.example"));
        assertThat(of("From: Alice\r\n <alice@folded.example>\r\n")).isEqualTo(new AuthorDomain.Found("folded.example"));
        assertThat(of("From: <@relay.example:alice@routed.example>\r\n"))
                .isEqualTo(new AuthorDomain.Found("routed.example"));
        assertThat(of("From: jöran@bücher.example\r\n")).isEqualTo(new AuthorDomain.Found("xn--bcher-kva.example"));
        assertThat(of("From: \"quoted@local\"@example.com\r\n")).isEqualTo(new AuthorDomain.Found("example.com"));
    }

    @Test
    void severalAddressesInOneDomainAreEvaluatedTogether() {
        assertThat(of("From: a@example.com, B <b@EXAMPLE.com>\r\n")).isEqualTo(new AuthorDomain.Found("example.com"));
    }

    @Test
    void missingDuplicatedOrAmbiguousFromIsInvalid() {
        assertThat(of("Subject: no from\r\n")).isInstanceOf(AuthorDomain.Invalid.class);
        assertThat(of("From: a@example.com\r\nFrom: b@evil.example\r\n"))
                .isEqualTo(new AuthorDomain.Invalid("2 From header fields"));
        assertThat(of("From: a@example.com\r\nFROM : b@example.com\r\n")).isInstanceOf(AuthorDomain.Invalid.class);
        assertThat(of("From: a@example.com, b@evil.example\r\n")).isInstanceOf(AuthorDomain.Invalid.class);
        assertThat(of("From: undisclosed:;\r\n")).isInstanceOf(AuthorDomain.Invalid.class);
        assertThat(of("From: nobody\r\n")).isInstanceOf(AuthorDomain.Invalid.class);
        assertThat(of("From: a@[192.0.2.1]\r\n")).isInstanceOf(AuthorDomain.Invalid.class);
    }

    @Test
    void aFromInTheBodyDoesNotCount() {
        assertThat(AuthorDomain.of("From: a@example.com\r\n\r\nFrom: b@evil.example\r\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new AuthorDomain.Found("example.com"));
    }
}
