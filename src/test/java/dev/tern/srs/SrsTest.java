package dev.tern.srs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.mail.Domain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SRS codec against values computed independently (Python's hmac over the same fields, as libsrs2 defines
 * them), and its refusals: forged, expired, malformed. {@code PostsrsdInteropTest} compares it with postsrsd.
 */
class SrsTest {

    static final String SECRET = "tern-test-secret-0001";
    /** 2024-03-01T12:00:00Z: day 19783, 327 modulo 1024, "KH" in base32. */
    static final Instant MARCH_FIRST = Instant.parse("2024-03-01T12:00:00Z");

    static Srs srs(Instant now, String... secrets) {
        return new Srs(List.of(secrets), Domain.of("fwd.example"), Srs.DEFAULT_MAX_AGE_DAYS,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    static Address address(String text) {
        try {
            return Address.parseMailbox(text, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @Test
    void srs0IsTheHashTimestampDomainAndLocalPartInOurDomain() {
        Address rewritten = srs(MARCH_FIRST, SECRET).forward(address("Alice@example.org"));

        assertThat(rewritten.toString()).isEqualTo("SRS0=L3R4=KH=example.org=Alice@fwd.example");
        assertThat(Srs.timestamp(MARCH_FIRST.getEpochSecond())).isEqualTo("KH");
        assertThat(Srs.timestamp(0)).isEqualTo("AA");
    }

    @Test
    void srs0ReversesToTheOriginalSender() {
        Srs srs = srs(MARCH_FIRST, SECRET);

        Srs.Reversal back = srs.reverse(address("SRS0=L3R4=KH=example.org=Alice@fwd.example"), true);

        assertThat(back).isEqualTo(new Srs.Valid(address("Alice@example.org")));
    }

    @Test
    void theHashIsComparedWithoutCaseAsLibsrs2Does() {
        Srs srs = srs(MARCH_FIRST, SECRET);

        assertThat(srs.reverse(address("srs0=l3r4=kh=EXAMPLE.org=alice@FWD.example"), true))
                .isEqualTo(new Srs.Valid(address("alice@EXAMPLE.org")));
    }

    @Test
    void aForgedHashOrAnotherSecretIsRefused() {
        assertThat(srs(MARCH_FIRST, SECRET).reverse(address("SRS0=L3R5=KH=example.org=Alice@fwd.example"), true))
                .isEqualTo(new Srs.Invalid("SRS hash does not verify"));
        assertThat(srs(MARCH_FIRST, "another-secret-of-enough-length")
                .reverse(address("SRS0=L3R4=KH=example.org=Alice@fwd.example"), true))
                .isEqualTo(new Srs.Invalid("SRS hash does not verify"));
        // the address inside changed, the hash kept: refused
        assertThat(srs(MARCH_FIRST, SECRET).reverse(address("SRS0=L3R4=KH=example.org=Mallory@fwd.example"), true))
                .isInstanceOf(Srs.Invalid.class);
    }

    @Test
    void anOlderSecretStillVerifiesWhileTheFirstSigns() {
        Srs rotated = srs(MARCH_FIRST, "a-new-secret-for-2024-signing", SECRET);

        assertThat(rotated.reverse(address("SRS0=L3R4=KH=example.org=Alice@fwd.example"), true))
                .isEqualTo(new Srs.Valid(address("Alice@example.org")));
        assertThat(rotated.forward(address("Alice@example.org")).toString()).doesNotContain("L3R4");
    }

    @Test
    void anSrs0AddressExpiresAfterMaxAgeDays() {
        Address rewritten = srs(MARCH_FIRST, SECRET).forward(address("alice@example.org"));

        assertThat(srs(MARCH_FIRST.plus(Duration.ofDays(21)), SECRET).reverse(rewritten, true))
                .isInstanceOf(Srs.Valid.class);
        assertThat(srs(MARCH_FIRST.plus(Duration.ofDays(22)), SECRET).reverse(rewritten, true))
                .isEqualTo(new Srs.Invalid("SRS address expired"));
        // a notice queued here for it is not refused for its age
        assertThat(srs(MARCH_FIRST.plus(Duration.ofDays(22)), SECRET).reverse(rewritten, false))
                .isInstanceOf(Srs.Valid.class);
    }

    @Test
    void theAgeIsCountedAcrossTheWrapOfTheTenBitDayCounter() {
        // Day 1023 modulo 1024 is "7H"; two days later the counter reads 1.
        Instant lastSlot = Instant.ofEpochSecond(1023L * 86_400 + 3600);
        Address rewritten = srs(lastSlot, SECRET).forward(address("alice@example.org"));

        assertThat(rewritten.localPart()).contains("=77=");
        assertThat(srs(lastSlot.plus(Duration.ofDays(2)), SECRET).reverse(rewritten, true)).isInstanceOf(Srs.Valid.class);
        assertThat(srs(lastSlot.plus(Duration.ofDays(30)), SECRET).reverse(rewritten, true))
                .isEqualTo(new Srs.Invalid("SRS address expired"));
    }

    @Test
    void anSrs0OfAnotherForwarderBecomesSrs1KeepingItsFirstHop() {
        Srs srs = srs(MARCH_FIRST, SECRET);

        Address srs1 = srs.forward(address("SRS0=HHHH=TT=orig.example=bob@first.example"));

        assertThat(srs1.toString()).isEqualTo("SRS1=y2d0=first.example==HHHH=TT=orig.example=bob@fwd.example");
        assertThat(srs.reverse(srs1, true))
                .isEqualTo(new Srs.Valid(address("SRS0=HHHH=TT=orig.example=bob@first.example")));
    }

    @Test
    void anSrs1OfAnotherForwarderIsSignedAgainWithTheSameFirstHop() {
        Srs srs = srs(MARCH_FIRST, SECRET);

        Address again = srs.forward(address("SRS1=abcd=first.example==HHHH=TT=orig.example=bob@second.example"));

        assertThat(again.toString()).isEqualTo("SRS1=y2d0=first.example==HHHH=TT=orig.example=bob@fwd.example");
    }

    @Test
    void malformedSrsAddressesAreRefusedAndOthersAreNotSrs() {
        Srs srs = srs(MARCH_FIRST, SECRET);

        assertThat(srs.reverse(address("SRS0=L3R4=KH=example.org@fwd.example"), true))
                .isEqualTo(new Srs.Invalid("malformed SRS0 address"));
        assertThat(srs.reverse(address("SRS0=L3R4=K!=example.org=alice@fwd.example"), true))
                .isEqualTo(new Srs.Invalid("malformed SRS0 timestamp"));
        assertThat(srs.reverse(address("SRS1=abcd@fwd.example"), true))
                .isEqualTo(new Srs.Invalid("malformed SRS1 address"));
        assertThat(srs.reverse(address("srs0@fwd.example"), true)).isEqualTo(new Srs.NotSrs());
        assertThat(srs.reverse(address("alice@fwd.example"), true)).isEqualTo(new Srs.NotSrs());
        assertThat(Srs.isSrs(Address.NULL)).isFalse();
    }

    @Test
    void anSrsLocalPartLongerThan64OctetsIsStillAMailbox() {
        String longLocal = "a.rather.long.name.of.someone";
        Address rewritten = srs(MARCH_FIRST, SECRET).forward(address(longLocal + "@a-long-domain-name.example.org"));

        assertThat(rewritten.localPart().length()).isGreaterThan(64);
        Address parsed = address(rewritten.toString());
        assertThat(srs(MARCH_FIRST, SECRET).reverse(parsed, true))
                .isEqualTo(new Srs.Valid(address(longLocal + "@a-long-domain-name.example.org")));
    }
}
