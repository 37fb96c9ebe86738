package dev.tern.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
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
}
