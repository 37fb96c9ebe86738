package dev.tern.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlidingWindowTest {

    private static final long HOUR = 3_600_000;

    @Test
    void admitsUpToTheLimitWithinOneWindow() {
        SlidingWindow window = new SlidingWindow(HOUR, 0);
        for (int i = 0; i < 3; i++) {
            assertThat(window.admits(i * 1000, 3)).isTrue();
            window.add(i * 1000);
        }
        assertThat(window.admits(HOUR - 1, 3)).isFalse();
        assertThat(window.estimate(HOUR - 1)).isEqualTo(3.0);
    }

    @Test
    void thePreviousWindowFadesOutAsTheCurrentOneAdvances() {
        SlidingWindow window = new SlidingWindow(HOUR, 0);
        for (int i = 0; i < 4; i++) {
            window.add(0);
        }
        // At the start of the next window all 4 still count; a quarter of the way in, 3 of them.
        assertThat(window.estimate(HOUR)).isEqualTo(4.0);
        assertThat(window.estimate(HOUR + HOUR / 4)).isEqualTo(3.0);
        assertThat(window.admits(HOUR + HOUR / 4, 4)).isTrue();
        assertThat(window.admits(HOUR + HOUR / 4, 3)).isFalse();
        assertThat(window.estimate(HOUR + HOUR / 2)).isEqualTo(2.0);
    }

    @Test
    void aBurstAtTheEndOfAWindowIsNotFollowedByASecondBurstAtTheStartOfTheNext() {
        // A fixed window would let 2 × 10 through within two minutes; the sliding estimate does not.
        SlidingWindow window = new SlidingWindow(HOUR, 0);
        long late = HOUR - 60_000;
        for (int i = 0; i < 10; i++) {
            assertThat(window.admits(late, 10)).isTrue();
            window.add(late);
        }
        assertThat(window.admits(HOUR + 60_000, 10)).isFalse();
    }

    @Test
    void afterTwoQuietWindowsNothingIsRemembered() {
        SlidingWindow window = new SlidingWindow(HOUR, 0);
        window.add(0);
        window.add(0);
        assertThat(window.estimate(2 * HOUR)).isEqualTo(0.0);
        assertThat(window.estimate(5 * HOUR + 7)).isEqualTo(0.0);
    }

    @Test
    void zeroMeansNoLimit() {
        SlidingWindow window = new SlidingWindow(HOUR, 0);
        for (int i = 0; i < 1000; i++) {
            window.add(0);
        }
        assertThat(window.admits(0, 0)).isTrue();
    }

    @Test
    void aRefusalIsReportedOncePerFixedWindow() {
        SlidingWindow window = new SlidingWindow(HOUR, 0);
        assertThat(window.firstRefusal(10)).isTrue();
        assertThat(window.firstRefusal(20)).isFalse();
        assertThat(window.firstRefusal(HOUR - 1)).isFalse();
        assertThat(window.firstRefusal(HOUR)).isTrue();
        assertThat(window.firstRefusal(HOUR + 5)).isFalse();
    }

    @Test
    void aClockGoingBackChangesNothing() {
        SlidingWindow window = new SlidingWindow(HOUR, HOUR);
        window.add(HOUR);
        assertThat(window.estimate(HOUR - 10)).isGreaterThanOrEqualTo(1.0);
    }
}
