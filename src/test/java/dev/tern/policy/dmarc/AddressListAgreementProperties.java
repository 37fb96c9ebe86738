package dev.tern.policy.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.Domain;
import dev.tern.mail.header.AddressList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * DMARC and {@code tern sendmail -t} read one From field alike: on every input, the author domain DMARC finds
 * is the domain of every address the shared parser (sendmail's reader of To, Cc and Bcc) returns.
 */
class AddressListAgreementProperties {

    @Property
    void dmarcAndSendmailReadOneFromAlike(@ForAll("fromValues") String value) {
        List<String> sendmail = AddressList.parse(value);
        AuthorDomain dmarc = AuthorDomain.of(("From:" + value + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        if (dmarc instanceof AuthorDomain.Found found) {
            assertThat(sendmail).isNotEmpty().allSatisfy(a -> assertThat(domainOf(a)).isEqualTo(found.domain()));
        } else {
            assertThat(!sendmail.isEmpty()
                    && sendmail.stream().map(AddressListAgreementProperties::domainOf).distinct().count() == 1
                    && !domainOf(sendmail.get(0)).isEmpty() && !domainOf(sendmail.get(0)).startsWith("["))
                    .as("sendmail read %s where DMARC found %s", sendmail, dmarc).isFalse();
        }
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return "";
        }
        String domain = address.substring(at + 1);
        if (domain.isEmpty() || domain.startsWith("[")) {
            return domain;
        }
        try {
            String key = new Domain(domain).key();
            return key.endsWith(".") ? key.substring(0, key.length() - 1) : key;
        } catch (RuntimeException e) {
            return "[invalid]";
        }
    }

    @Provide
    Arbitrary<String> fromValues() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("a", "b.c", "x@y.example", "@r.example", "@s.example,", ":", ";", ",", "<", ">",
                        "\"q@evil.example, <z>\"", "(c, d@e.example)", " ", "\t", "[IPv6:2001:db8::1]",
                        "=?utf-8?q?x?=", "group:", "A.EXAMPLE", "Bob", "\\"),
                Arbitraries.strings().withChars("ab@.:,;<>\"()[] \\").ofMaxLength(6));
        return piece.list().ofMaxSize(12).map(l -> String.join("", l));
    }
}
