package dev.tern.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The {@code _smtp._tls} record parser over generated records and over any text. */
class TlsRptRecordProperties {

    /** Whatever a TXT record holds, the parser answers a record or a reason, never another exception. */
    @Property(tries = 2000)
    void anyTextParsesOrIsRefusedWithAReason(@ForAll("recordLike") String txt) {
        try {
            TlsRptRecord r = TlsRptRecord.parse(txt);
            assertThat(txt).startsWith("v=TLSRPTv1");
            assertThat(r.rua()).allSatisfy(u -> assertThat(u.getScheme()).isIn("mailto", "https", "MAILTO", "HTTPS"));
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    /** A well-formed record, however spaced and wherever its extensions are, gives back its URIs in order. */
    @Property(tries = 500)
    void wellFormedRecordsGiveTheirUris(@ForAll("mailboxes") List<String> mailboxes,
                                        @ForAll("hosts") List<String> hosts,
                                        @ForAll("spaces") String space, @ForAll boolean extensionFirst,
                                        @ForAll boolean finalDelimiter) {
        StringBuilder rua = new StringBuilder("rua=");
        for (int i = 0; i < mailboxes.size() + hosts.size(); i++) {
            if (i > 0) {
                rua.append(space).append(',').append(space);
            }
            rua.append(i < mailboxes.size() ? "mailto:" + mailboxes.get(i)
                    : "https://" + hosts.get(i - mailboxes.size()) + "/tlsrpt");
        }
        String ext = "ext_1=v.a-l:u/e";
        String txt = "v=TLSRPTv1" + space + ";" + space + (extensionFirst ? ext + space + ";" + space + rua
                : rua + space + ";" + space + ext) + (finalDelimiter ? space + ";" + space : "");

        TlsRptRecord record = TlsRptRecord.parse(txt);

        assertThat(record.mailboxes()).isEqualTo(mailboxes);
        assertThat(record.endpoints()).isEqualTo(hosts.stream().map(h -> URI.create("https://" + h + "/tlsrpt"))
                .toList());
    }

    @Provide
    Arbitrary<String> recordLike() {
        Arbitrary<String> pieces = Arbitraries.of("v=TLSRPTv1", ";", " ", "\t", "rua=", "mailto:", "https://",
                "a@example.org", "example.org", ",", "=", "x", "%2C", "!", "\"", "é", "?", "/", ":", "ext=1");
        return pieces.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<List<String>> mailboxes() {
        Arbitrary<String> local = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> domain = Arbitraries.of("example.org", "reports.example.com", "xn--bcher-kva.example");
        return Combinators.combine(local, domain).as((l, d) -> l + "@" + d).list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<List<String>> hosts() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10)
                .map(s -> s + ".example.net").list().ofMaxSize(2);
    }

    @Provide
    Arbitrary<String> spaces() {
        return Arbitraries.of("", " ", "  ", "\t", " \t ");
    }
}
