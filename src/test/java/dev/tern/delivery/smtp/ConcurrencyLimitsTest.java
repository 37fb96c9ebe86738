package dev.tern.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConcurrencyLimitsTest {

    @Test
    void perDestinationAndTotalLimitsBothHold() throws InterruptedException {
        ConcurrencyLimits limits = new ConcurrencyLimits(3, 2);
        ConcurrencyLimits.Lease a1 = limits.tryAcquire("a");
        ConcurrencyLimits.Lease a2 = limits.tryAcquire("a");
        assertThat(a1).isNotNull();
        assertThat(a2).isNotNull();
        assertThat(limits.tryAcquire("a")).isNull();
        assertThat(limits.destinationFull("a")).isTrue();
        ConcurrencyLimits.Lease b1 = limits.tryAcquire("b");
        assertThat(b1).isNotNull();
        assertThat(limits.totalFull()).isTrue();
        assertThat(limits.tryAcquire("c")).isNull();
        assertThat(limits.acquire("c", 0)).isNull();

        a1.release();
        a1.release(); // a second release gives nothing back twice
        assertThat(limits.open()).isEqualTo(2);
        assertThat(limits.tryAcquire("c")).isNotNull();
        assertThat(limits.tryAcquire("a")).isNull();
    }

    @Test
    void aWaiterGetsThePermitThatIsGivenBack() throws Exception {
        ConcurrencyLimits limits = new ConcurrencyLimits(1, 1);
        ConcurrencyLimits.Lease held = limits.tryAcquire("a");
        Thread releaser = Thread.ofVirtual().unstarted(held::release);
        releaser.start();
        ConcurrencyLimits.Lease next = limits.acquire("b", 60_000);
        releaser.join();
        assertThat(next).isNotNull();
        assertThat(limits.open()).isEqualTo(1);
    }
}
