package dev.tern.mail.header;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 5322 §3.4 address lists, with the §4.4 obsolete forms. */
class AddressListTest {

    @Test
    void sourceRoutesAreDropped() {
        assertThat(AddressList.parse("<@relay.example,@b.example:user@host.example>")).containsExactly("user@host.example");
        assertThat(AddressList.parse("Bob < @a.example , @b.example : bob @ host.example >"))
                .containsExactly("bob@host.example");
        assertThat(AddressList.parse("<@[IPv6:2001:db8::1]:u@h.example>")).containsExactly("u@h.example");
        assertThat(AddressList.parse("<@a.example:\"x:y\"@h.example>")).containsExactly("\"x:y\"@h.example");
    }

    @Test
    void groupsGiveTheirMembers() {
        assertThat(AddressList.parse("team: a@x.example, B <b@y.example>; c@z.example"))
                .containsExactly("a@x.example", "b@y.example", "c@z.example");
        assertThat(AddressList.parse("undisclosed-recipients:;")).isEmpty();
        assertThat(AddressList.parse("a@[IPv6:2001:db8::1]")).containsExactly("a@[IPv6:2001:db8::1]");
    }

    @Test
    void commentsAreDroppedAndNest() {
        assertThat(AddressList.parse("a@x.example (Alice, (the) first), b(note)@y.example"))
                .containsExactly("a@x.example", "b@y.example");
        assertThat(AddressList.parse("(a \\) b) <c@d.example>")).containsExactly("c@d.example");
    }

    @Test
    void quotedLocalPartsAndDisplayNamesAreReadAsWritten() {
        assertThat(AddressList.parse("\"quoted@local, x\"@example.com")).containsExactly("\"quoted@local, x\"@example.com");
        assertThat(AddressList.parse("\"a@evil.example, <x@y>\" <b@good.example>")).containsExactly("b@good.example");
        assertThat(AddressList.parse("\"a \\\" b\"@example.com")).containsExactly("\"a \\\" b\"@example.com");
        assertThat(AddressList.parse("john . doe @ example.com")).containsExactly("john.doe@example.com");
    }

    @Test
    void encodedWordsAreLeftAlone() {
        assertThat(AddressList.parse("=?utf-8?q?J=C3=B6ran?= <joran@example.com>")).containsExactly("joran@example.com");
        assertThat(AddressList.parse("=?utf-8?q?x?=@example.com")).containsExactly("=?utf-8?q?x?=@example.com");
    }

    @Test
    void textAfterAnAngleAddrAndAnOpenAngleAddr() {
        assertThat(AddressList.parse("<a@x.example> trailing words, b@y.example"))
                .containsExactly("a@x.example", "b@y.example");
        assertThat(AddressList.parse("Name <a@x.example")).containsExactly("a@x.example");
    }
}
