package dev.tern.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import org.junit.jupiter.api.Test;

/** Reverse- and forward-paths of RFC 5321 §4.1.2 as {@link Paths} reads them (brackets already gone). */
class PathsTest {

    @Test
    void theNullPathIsAllowedOnlyWhereAsked() throws AddressException {
        assertThat(Paths.parse("", true, false)).isSameAs(Address.NULL);
        assertThatThrownBy(() -> Paths.parse("", false, false)).isInstanceOf(AddressException.class)
                .hasMessage("empty path");
    }

    @Test
    void aMailboxIsKeptAsWritten() throws AddressException {
        Address a = Paths.parse("John.Doe@Example.COM", false, false);
        assertThat(a.localPart()).isEqualTo("John.Doe");
        assertThat(a.domain().name()).isEqualTo("Example.COM");
        assertThat(Paths.parse("\"a b\"@[192.0.2.1]", false, false).localPart()).isEqualTo("\"a b\"");
    }

    @Test
    void aSourceRouteIsCheckedAndDropped() throws AddressException {
        // RFC 5321 §3.6.1 and Appendix C: deliver to the mailbox alone, so a route never makes us relay.
        assertThat(Paths.parse("@relay1.example,@relay2.example:user@dest.example", false, false))
                .isEqualTo(Paths.parse("user@dest.example", false, false));
        assertThat(Paths.parse("@[192.0.2.7]:user@dest.example", true, false).localPart()).isEqualTo("user");
    }

    @Test
    void aBrokenSourceRouteIsRefusedWithItsReason() {
        assertRefused("@relay.example", "invalid source route"); // no colon
        assertRefused("@relay.example,relay2.example:user@dest.example", "invalid source route");
        assertRefused("@relay.example,:user@dest.example", "invalid source route");
        assertRefused("@:user@dest.example", "empty domain");
        assertRefused("@-relay.example:user@dest.example", "domain label starts or ends with a hyphen");
        assertRefused("@relay..example:user@dest.example", "invalid domain label");
        assertRefused("@relay_1.example:user@dest.example", "invalid character in domain");
        assertRefused("@relay.example:", "empty local part");
        assertRefused("@relay.example:user", "missing @domain");
    }

    @Test
    void theMailboxFollowsAddressRules() {
        assertRefused("user", "missing @domain");
        assertRefused("user@", "empty domain");
        assertRefused(".user@example.org", "empty atom in local part");
        assertRefused("user.@example.org", "local part ends with a dot");
        assertRefused("x".repeat(65) + "@example.org", "local part longer than 64 octets");
        assertRefused("\"open@example.org", "unterminated quoted local part");
        assertRefused("user@[300.0.0.1]", "invalid address literal");
    }

    @Test
    void utf8NeedsSmtputf8InTheMailboxAndTheRoute() throws AddressException {
        assertRefused("j\u00f6rg@example.org", "non-ASCII address without SMTPUTF8");
        assertRefused("@r\u00e9lais.example:user@example.org", "non-ASCII address without SMTPUTF8");
        assertThat(Paths.parse("@r\u00e9lais.example:j\u00f6rg@b\u00fccher.example", false, true).localPart())
                .isEqualTo("j\u00f6rg");
    }

    private static void assertRefused(String path, String reason) {
        assertThatThrownBy(() -> Paths.parse(path, true, false)).as(path).isInstanceOf(AddressException.class)
                .hasMessage(reason);
    }
}
