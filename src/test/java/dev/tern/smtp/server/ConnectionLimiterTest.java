package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(100, 2);
        assertThat(limiter.tryAcquire(ip("2001:db8:1:2::1"))).isEqualTo(ConnectionLimiter.Refusal.NONE);
        assertThat(limiter.tryAcquire(ip("2001:db8:1:2:ffff::9"))).isEqualTo(ConnectionLimiter.Refusal.NONE);
        // A third address of the same /64 is the same client.
        assertThat(limiter.tryAcquire(ip("2001:db8:1:2:abcd::3"))).isEqualTo(ConnectionLimiter.Refusal.PER_CLIENT);
        // The next /64 is another.
        assertThat(limiter.tryAcquire(ip("2001:db8:1:3::1"))).isEqualTo(ConnectionLimiter.Refusal.NONE);
        assertThat(limiter.active()).isEqualTo(3);
    }

    @Test
    void aReloadChangesTheLimitsForTheConnectionsThatComeNext() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(2, 1);
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEqualTo(ConnectionLimiter.Refusal.NONE);
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEqualTo(ConnectionLimiter.Refusal.PER_CLIENT);
        limiter.resize(2, 2, 100);
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEqualTo(ConnectionLimiter.Refusal.NONE);
        limiter.resize(1, 2, 100);
        // The two open connections keep their permits; a new one counts against the lowered total.
        assertThat(limiter.active()).isEqualTo(2);
        assertThat(limiter.tryAcquire(ip("192.0.2.2"))).isEqualTo(ConnectionLimiter.Refusal.TOTAL);
    }

    @Test
    void ipv4ClientsAreCountedByAddress() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(100, 1);
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEqualTo(ConnectionLimiter.Refusal.NONE);
        assertThat(limiter.tryAcquire(ip("192.0.2.2"))).isEqualTo(ConnectionLimiter.Refusal.NONE);
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEqualTo(ConnectionLimiter.Refusal.PER_CLIENT);
    }

    /** Acquires and releases racing on one client must never let more than the limit in at once. */
    @Test
    void racingAcquiresAndReleasesKeepTheCountExact() throws Exception {
        int perClient = 3;
        ConnectionLimiter limiter = new ConnectionLimiter(1000, perClient);
        InetAddress client = ip("198.51.100.7");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    if (limiter.tryAcquire(client) == ConnectionLimiter.Refusal.NONE) {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        inside.decrementAndGet();
                        limiter.release(client);
                    }
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(mostInside.get()).isLessThanOrEqualTo(perClient);
        assertThat(limiter.active()).isZero();
        for (int i = 0; i < perClient; i++) {
            assertThat(limiter.tryAcquire(client)).isEqualTo(ConnectionLimiter.Refusal.NONE);
        }
        assertThat(limiter.tryAcquire(client)).isEqualTo(ConnectionLimiter.Refusal.PER_CLIENT);
    }

    @Test
    void stressBeginsAtTheThresholdAndEndsBelowIt() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(4, 4, 75);
        InetAddress client = ip("192.0.2.9");
        limiter.tryAcquire(client);
        limiter.tryAcquire(client);
        assertThat(limiter.underStress()).isFalse();
        limiter.tryAcquire(client);
        assertThat(limiter.underStress()).isTrue();
        limiter.release(client);
        assertThat(limiter.underStress()).isFalse();
    }
}
