package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.config.ListenerSettings;
import dev.tern.mail.IpNetwork;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate over real loopback sockets: who may send the header, and how long it may take. */
class ProxyGateTest {

    private static ListenerSettings.Proxy proxy(String network, Duration timeout) {
        return new ListenerSettings.Proxy(true, List.of(IpNetwork.parse(network)), timeout);
    }

    @Test
    void aTrustedProxyNamesTheClientAndTheSocketKeepsItsTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket("127.0.0.1", server.getLocalPort());
             Socket accepted = server.accept()) {
            accepted.setSoTimeout(1234);
            client.getOutputStream().write("PROXY TCP4 192.0.2.9 127.0.0.1 4000 25\r\n".getBytes(StandardCharsets.US_ASCII));
            InetAddress named = new ProxyGate(proxy("127.0.0.0/8", Duration.ofSeconds(5))).client(accepted);
            assertThat(named.getHostAddress()).isEqualTo("192.0.2.9");
            assertThat(accepted.getSoTimeout()).isEqualTo(1234);
        }
    }

    @Test
    void aHealthCheckWithoutAClientIsTheProxyItself() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket("127.0.0.1", server.getLocalPort());
             Socket accepted = server.accept()) {
            client.getOutputStream().write("PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII));
            InetAddress named = new ProxyGate(proxy("127.0.0.1/32", Duration.ofSeconds(5))).client(accepted);
            assertThat(named.getHostAddress()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void aPeerOutsideTheProxyNetworksIsNotReadAtAll() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket("127.0.0.1", server.getLocalPort());
             Socket accepted = server.accept()) {
            client.getOutputStream().write("PROXY TCP4 192.0.2.9 127.0.0.1 4000 25\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> new ProxyGate(proxy("10.0.0.0/8", Duration.ofSeconds(5))).client(accepted))
                    .isInstanceOf(IOException.class).hasMessageContaining("outside proxy_networks");
            accepted.setSoTimeout(10_000);
            assertThat(accepted.getInputStream().read()).isEqualTo('P'); // nothing of it was consumed
        }
    }

    @Test
    void aHeaderDribbledOutEndsAtTheDeadlineForTheWholeHeader() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket("127.0.0.1", server.getLocalPort());
             Socket accepted = server.accept()) {
            Thread dribbler = Thread.ofVirtual().start(() -> dribble(client, "PROXY TCP4 192.0.2.9 127.0.0.1 4000 25\r\n"));
            // Each octet comes well inside 300 ms, so a timeout per read would let the header through after
            // four seconds; only a deadline for the whole header refuses it.
            assertThatThrownBy(() -> new ProxyGate(proxy("127.0.0.0/8", Duration.ofMillis(300))).client(accepted))
                    .isInstanceOf(SocketTimeoutException.class);
            dribbler.interrupt();
        }
    }

    private static void dribble(Socket socket, String text) {
        try {
            OutputStream out = socket.getOutputStream();
            for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException e) {
            // the gate closed or the test ended
        }
    }
}
