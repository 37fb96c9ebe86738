package dev.tern.mail.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class AddressListProperties {

    record Entry(String address, String display, int form) {
        String written() {
            return switch (form) {
                case 0 -> address;
                case 1 -> display + " <" + address + ">";
                case 2 -> "\"" + display + ", " + display + "\" <" + address + ">";
                default -> address + " (" + display + ", really)";
            };
        }
    }

    @Provide
    Arbitrary<Entry> entries() {
        Arbitrary<String> local = Arbitraries.strings().withChars("abcxyz019.-_+").ofMinLength(1).ofMaxLength(10)
                .filter(s -> !s.startsWith(".") && !s.endsWith(".") && !s.contains(".."));
        Arbitrary<String> domain = Arbitraries.of("example.org", "mx.example.net", "[192.0.2.1]", "[IPv6:2001:db8::1]");
        Arbitrary<String> display = Arbitraries.strings().withChars("Ab Cd").ofMinLength(1).ofMaxLength(8)
                .map(String::strip).filter(s -> !s.isEmpty());
        return Combinators.combine(local, domain, display, Arbitraries.integers().between(0, 3))
                .as((l, d, n, f) -> new Entry(l + "@" + d, n, f));
    }

    @Property
    void everyAddressComesBackInOrder(@ForAll @Size(min = 1, max = 6) List<@net.jqwik.api.From("entries") Entry> list,
                                      @ForAll boolean asGroup) {
        List<String> written = new ArrayList<>();
        list.forEach(e -> written.add(e.written()));
        String value = String.join(", ", written);
        if (asGroup) {
            value = "The team: " + value + ";";
        }
        assertThat(AddressList.parse(value)).containsExactlyElementsOf(list.stream().map(Entry::address).toList());
    }

    @Property
    void emptyGroupsAndBlankValuesGiveNothing(@ForAll("blank") String spaces) {
        assertThat(AddressList.parse("undisclosed-recipients:;" + spaces)).isEmpty();
        assertThat(AddressList.parse(spaces)).isEmpty();
    }

    @Provide
    Arbitrary<String> blank() {
        return Arbitraries.strings().withChars(" \t,").ofMaxLength(5);
    }
}
