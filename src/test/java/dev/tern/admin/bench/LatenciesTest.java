package dev.tern.admin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void nearestRankPercentilesInMilliseconds() {
        Latencies l = new Latencies();
        for (int ms = 100; ms >= 1; ms--) {
            l.add(ms * 1_000_000L);
        }

        assertThat(l.percentileMillis(50)).isEqualTo(50.0);
        assertThat(l.percentileMillis(99)).isEqualTo(99.0);
        assertThat(l.maxMillis()).isEqualTo(100.0);
    }

    @Test
    void mergesAndGrowsPastItsFirstArray() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        for (int i = 0; i < 3000; i++) {
            b.add(i);
        }
        a.add(5_000_000L);
        a.addAll(b);

        assertThat(a.size()).isEqualTo(3001);
        assertThat(a.maxMillis()).isEqualTo(5.0);
    }

    @Test
    void emptyIsZero() {
        assertThat(new Latencies().percentileMillis(99)).isZero();
    }
}
