package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions are served by the platform thread that accepted them while another can take over accepting, then on
 * virtual threads; none is ever refused, and a burst leaves at most the kept idle threads behind. Over real
 * loopback connections.
 */
class SessionThreadsTest {

    private final ServerSocket server = new ServerSocket();
    private final List<Socket> clients = new ArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    SessionThreadsTest() throws IOException {
    }

    @BeforeEach
    void bind() throws IOException {
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        server.close();
    }

    @Test
    void pastThePlatformThreadsSessionsRunOnVirtualThreads() throws Exception {
        SessionThreads threads = new SessionThreads("test", 3, 3);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(5);
        List<Boolean> virtual = new CopyOnWriteArrayList<>();
        threads.start(server, failures::add, socket -> {
            virtual.add(Thread.currentThread().isVirtual());
            started.countDown();
            await(release);
        });
        connect(5);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        // Two sessions on platform threads; the third thread stays accepting and gives the rest virtual ones.
        assertThat(virtual).containsExactlyInAnyOrder(false, false, true, true, true);
        assertThat(threads.platformBusy()).isEqualTo(2);
        assertThat(threads.platformAlive()).isEqualTo(3);
        release.countDown();
        stop(threads);
        assertThat(failures).isEmpty();
    }

    @Test
    void theThreadThatAcceptsServesAndAnotherTakesOverAccepting() throws Exception {
        SessionThreads threads = new SessionThreads("test", 10, 10);
        List<String> servedBy = new CopyOnWriteArrayList<>();
        CountDownLatch served = new CountDownLatch(3);
        threads.start(server, failures::add, socket -> {
            servedBy.add(Thread.currentThread().getName());
            served.countDown();
        });
        for (int i = 0; i < 3; i++) {
            connect(1); // one after another, as a sequential client: the pool needs no more than two threads
            Thread.sleep(100);
        }
        assertThat(served.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(servedBy).allMatch(name -> name.startsWith("smtp-test-"));
        assertThat(threads.platformAlive()).isEqualTo(2);
        assertThat(threads.platformBusy()).isZero();
        stop(threads);
    }

    @Test
    void afterABurstOnlyTheKeptIdleThreadsRemain() throws Exception {
        SessionThreads threads = new SessionThreads("test", 10, 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(6);
        threads.start(server, failures::add, socket -> {
            started.countDown();
            await(release);
        });
        connect(6);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threads.platformAlive()).isEqualTo(7); // six serving, one accepting

        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.platformAlive() > 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(threads.platformAlive()).isEqualTo(2);
        assertThat(threads.platformBusy()).isZero();
        stop(threads);
    }

    @Test
    void aClosedSocketEndsEveryThread() throws Exception {
        SessionThreads threads = new SessionThreads("test", 4, 4);
        threads.start(server, failures::add, socket -> { });
        assertThat(threads.alive()).isTrue();

        stop(threads);
        assertThat(threads.alive()).isFalse();
        assertThat(failures).isEmpty();
    }

    private void connect(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            clients.add(new Socket(server.getInetAddress(), server.getLocalPort()));
        }
    }

    private void stop(SessionThreads threads) throws Exception {
        server.close();
        threads.shutdown();
        assertThat(threads.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
