package dev.tern.srs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.mail.Domain;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class SrsProperties {

    private static final Instant NOW = Instant.parse("2025-06-15T08:30:00Z");
    private static final String ATEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~";

    private static Srs srs(String domain, String secret) {
        return new Srs(List.of(secret), Domain.of(domain), Srs.DEFAULT_MAX_AGE_DAYS, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Whatever the sender, its SRS0 form parses as a mailbox and reverses to it. */
    @Property
    void srs0RoundTrips(@ForAll("senders") Address sender, @ForAll("secrets") String secret) throws AddressException {
        Srs srs = srs("fwd.example", secret);

        Address rewritten = srs.forward(sender);
        Address onTheWire = Address.parseMailbox(rewritten.toString(), true);

        assertThat(Srs.isSrs(onTheWire)).isTrue();
        assertThat(srs.reverse(onTheWire, true)).isEqualTo(new Srs.Valid(sender));
    }

    /** Any character of the hash changed to another (not the same letter in the other case) is refused. */
    @Property
    void aFlippedHashCharacterIsRefused(@ForAll("senders") Address sender, @ForAll @IntRange(min = 5, max = 8) int at,
                                       @ForAll("base64") char replacement) throws AddressException {
        Srs srs = srs("fwd.example", "property-secret-0123456789");
        String local = srs.forward(sender).localPart();
        char original = local.charAt(at);
        if (Character.toLowerCase(original) == Character.toLowerCase(replacement)) {
            return;
        }
        String forged = local.substring(0, at) + replacement + local.substring(at + 1);

        Srs.Reversal back = srs.reverse(Address.parseMailbox(forged + "@fwd.example", true), true);

        assertThat(back).isInstanceOf(Srs.Invalid.class);
    }

    /** Forwarded twice: the second forwarder's SRS1 reverses to the first's SRS0, and that to the sender. */
    @Property
    void srs1OfSrs0RoundTrips(@ForAll("senders") Address sender) throws AddressException {
        Srs first = srs("first.example", "first-forwarder-secret-000");
        Srs second = srs("second.example", "second-forwarder-secret-00");

        Address srs0 = first.forward(sender);
        Address srs1 = second.forward(Address.parseMailbox(srs0.toString(), true));

        assertThat(srs1.localPart()).startsWith("SRS1=");
        Srs.Reversal back = second.reverse(Address.parseMailbox(srs1.toString(), true), true);
        assertThat(back).isEqualTo(new Srs.Valid(srs0));
        assertThat(first.reverse(((Srs.Valid) back).original(), true)).isEqualTo(new Srs.Valid(sender));
    }

    @Provide
    Arbitrary<Address> senders() {
        Arbitrary<String> atom = Arbitraries.strings().withChars(ATEXT).ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> local = atom.list().ofMinSize(1).ofMaxSize(3).map(atoms -> String.join(".", atoms))
                .filter(l -> l.length() <= 40 && !Srs.isSrs(new Address(l, Domain.of("x.example"))));
        Arbitrary<String> label = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789")
                .ofMinLength(1).ofMaxLength(10);
        Arbitrary<String> domain = label.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l) + ".example");
        return Combinators.combine(local, domain).as((l, d) -> new Address(l, Domain.of(d)));
    }

    @Provide
    Arbitrary<String> secrets() {
        return Arbitraries.strings().ascii().ofMinLength(16).ofMaxLength(40).filter(s -> !s.contains("\u0000"));
    }

    @Provide
    Arbitrary<Character> base64() {
        return Arbitraries.of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".chars()
                .mapToObj(c -> (char) c).toList());
    }
}
