package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.DnsSettings;
import dev.tern.config.DnsblSite;
import dev.tern.config.ScreenSettings;
import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import dev.tern.testdns.TestDnsServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Tern with {@code [screen]}: a greet pause and a DNS block list served by a loopback DNS server that
 * lists 127.0.0.1. A client from 127.0.0.1 is refused after the pause; one from 127.0.0.2 (Linux routes all of
 * 127.0.0.0/8 to loopback) waits for the greeting, delivers, and is remembered in the data directory.
 */
class ScreenIT {

    @TempDir
    static Path data;
    static TestDnsServer dns;
    static Tern tern;

    @BeforeAll
    static void start() throws Exception {
        dns = TestDnsServer.start();
        dns.add("1.0.0.127.zen.test", "A", "127.0.0.2");
        ScreenSettings screen = ScreenSettings.defaults().withPregreet(Duration.ofMillis(500), "ESMTP Tern")
                .withDnsbl(List.of(DnsblSite.parse("zen.test=127.0.0.[2..11]*3", true)), 3, 0, Duration.ofSeconds(5));
        TernConfig config = TernFixture.config(data)
                .withDns(new DnsSettings(List.of(dns.address()), Duration.ofSeconds(2), 0))
                .withScreen(screen);
        new FileDirectory(data, config.domains()).addUser("alice@localhost", "unused");
        tern = Tern.start(config);
    }

    @AfterAll
    static void stop() {
        tern.close();
        dns.close();
    }

    private static Socket connect(String from) throws Exception {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", tern.port("mx")));
        socket.setSoTimeout(15_000);
        return socket;
    }

    @Test
    void aListedClientIsRefusedAndAWaitingCleanOneDelivers() throws Exception {
        try (Socket listed = connect("127.0.0.1")) {
            BufferedReader in = reader(listed);
            assertThat(in.readLine()).isEqualTo("220-mx.tern.test ESMTP Tern");
            assertThat(in.readLine()).isEqualTo("554 5.7.1 Service unavailable; client [127.0.0.1] blocked using zen.test");
        }
        try (Socket clean = connect("127.0.0.2")) {
            BufferedReader in = reader(clean);
            OutputStream out = clean.getOutputStream();
            assertThat(in.readLine()).isEqualTo("220-mx.tern.test ESMTP Tern");
            assertThat(in.readLine()).isEqualTo("220 mx.tern.test ESMTP Tern");
            send(out, "HELO client.example");
            assertThat(in.readLine()).startsWith("250 ");
            send(out, "MAIL FROM:<sender@remote.test>");
            assertThat(in.readLine()).startsWith("250 ");
            send(out, "RCPT TO:<alice@localhost>");
            assertThat(in.readLine()).startsWith("250 ");
            send(out, "DATA");
            assertThat(in.readLine()).startsWith("354 ");
            send(out, "Subject: screened\r\n\r\nHello.\r\n.");
            assertThat(in.readLine()).startsWith("250 ");
            send(out, "QUIT");
            assertThat(in.readLine()).startsWith("221 ");
        }
        List<Path> files = awaitMessages(data.resolve("mail/localhost/alice/new"));
        assertThat(files).hasSize(1);
        assertThat(Files.readString(files.getFirst())).contains("Subject: screened");
        assertThat(Files.readString(data.resolve("screen-cache"))).contains(" 127.0.0.2\n")
                .doesNotContain("127.0.0.1");
    }

    private static List<Path> awaitMessages(Path dir) throws Exception {
        for (int i = 0; i < 1000 && TernFixture.list(dir).isEmpty(); i++) {
            Thread.sleep(20);
        }
        return TernFixture.list(dir);
    }

    private static BufferedReader reader(Socket socket) throws Exception {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void send(OutputStream out, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
