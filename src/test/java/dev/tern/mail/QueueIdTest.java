package dev.tern.mail;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class QueueIdTest {

    @Test
    void aNewIdKnowsWhenItWasMade() {
        Instant before = Instant.now().minusMillis(1);
        QueueId id = QueueId.next();
        Instant after = Instant.now().plusMillis(1);
        assertThat(id.created()).hasValueSatisfying(t -> assertThat(t).isBetween(before, after));
    }

    @Test
    void laterIdsSortAfterEarlierOnes() throws Exception {
        QueueId a = QueueId.next();
        Thread.sleep(2);
        QueueId b = QueueId.next();
        assertThat(a).isLessThan(b);
        assertThat(Duration.between(a.created().orElseThrow(), b.created().orElseThrow())).isPositive();
    }

    @Test
    void anIdOfAnotherFormHasNoTime() {
        assertThat(new QueueId("ABCDEF").created()).isEmpty();
        assertThat(new QueueId("ZZZZZZZZZZZZZZ").created()).isEmpty(); // Z is not a base-32 digit here
    }

    @Test
    void onlySixTo32DigitsAndCapitalsAreAnId() {
        assertThat(QueueId.isValid("1L98MVY9V0VDTQ")).isTrue();
        assertThat(QueueId.isValid("ABCDE")).isFalse();
        assertThat(QueueId.isValid("A".repeat(33))).isFalse();
        assertThat(QueueId.isValid("1l98mvy9v0vdtq")).isFalse();
        assertThat(QueueId.isValid("../../etc")).isFalse();
        assertThat(QueueId.isValid(null)).isFalse();
        assertThatThrownBy(() -> new QueueId("ABC/DEF")).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void theCheckAgreesWithTheGrammar(@ForAll("candidates") String value) {
        assertThat(QueueId.isValid(value)).isEqualTo(value.matches("[0-9A-Z]{6,32}"));
    }

    /** Mostly the id's own characters, with a few of their neighbours (lower case, '/', '@', '[', ':'). */
    @Provide
    Arbitrary<String> candidates() {
        return Arbitraries.strings().withCharRange('0', '9').withCharRange('A', 'Z').withChars("az/@[:` ")
                .ofMinLength(0).ofMaxLength(40);
    }
}
