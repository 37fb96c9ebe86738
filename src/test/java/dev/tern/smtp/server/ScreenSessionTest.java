package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.DnsblSite;
import dev.tern.config.ListenerSettings;
import dev.tern.config.ScreenSettings;
import dev.tern.policy.RecipientPolicy;
import dev.tern.policy.screen.Screen;
import dev.tern.testdns.FakeDnsResolver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The screen in real sessions over loopback sockets: the greet pause, early talkers, DNS lists, the limits. */
class ScreenSessionTest {

    @TempDir
    Path data;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final FakeDnsResolver dns = new FakeDnsResolver()
            .add("1.0.0.127.zen.test", "A", address("127.0.0.2"))
            .add("spam.example.dbl.test", "A", address("127.0.1.2"));

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private SmtpServer server(ScreenSettings settings, int perClient) throws Exception {
        Screen screen = Screen.open(settings, dns, data, "tern.test", Clock.systemUTC());
        SmtpServer server = new SmtpServer(new ListenerSettings("mx", ListenerSettings.Role.MX, "127.0.0.1", 0),
                new SessionHarness().settings(), new MemorySpool(), new RecipientPolicy(new FakeDirectory()),
                new ConnectionLimiter(100, perClient), null, screen);
        server.start();
        open.add(screen);
        open.add(server);
        return server;
    }

    /** A client on loopback: lines in, lines out. */
    private final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Client(SmtpServer server) throws Exception {
            socket = new Socket("127.0.0.1", server.port());
            socket.setSoTimeout(15_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
            open.add(this);
        }

        void send(String line) throws Exception {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        String line() throws Exception {
            return in.readLine();
        }

        /** The lines of one reply, the last one included. */
        List<String> reply() throws Exception {
            List<String> lines = new ArrayList<>();
            String line;
            do {
                line = in.readLine();
                lines.add(line);
            } while (line != null && line.length() > 3 && line.charAt(3) == '-');
            return lines;
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void anEarlyTalkerIsRefusedAfterTheFirstGreetingLineAndClosed() throws Exception {
        SmtpServer server = server(ScreenSettings.defaults().withPregreet(Duration.ofSeconds(1), "ESMTP Tern"), 10);
        Client bot = new Client(server);
        bot.send("EHLO bot.example");
        assertThat(bot.line()).isEqualTo("220-tern.test ESMTP Tern");
        assertThat(bot.line()).isEqualTo("554 5.7.1 Service unavailable; client [127.0.0.1] talked before the greeting");
        assertThat(bot.line()).as("closed").isNull();
    }

    @Test
    void aPatientClientGetsTheWholeGreetingAndSkipsThePauseNextTime() throws Exception {
        SmtpServer server = server(ScreenSettings.defaults().withPregreet(Duration.ofSeconds(1), "ESMTP Tern"), 10);
        try (Client first = new Client(server)) {
            assertThat(first.reply()).containsExactly("220-tern.test ESMTP Tern", "220 tern.test ESMTP Tern");
            first.send("QUIT");
            assertThat(first.line()).startsWith("221 ");
        }
        Client again = new Client(server);
        again.send("EHLO client.example"); // at once: a remembered client has no pause to talk into
        assertThat(again.reply()).containsExactly("220 tern.test ESMTP Tern");
        assertThat(again.reply().getFirst()).startsWith("250-tern.test Hello client.example");
    }

    @Test
    void thePauseHoldsAConnectionPermitAsAnySessionDoes() throws Exception {
        SmtpServer server = server(ScreenSettings.defaults().withPregreet(Duration.ofSeconds(3), "ESMTP Tern"), 1);
        Client waiting = new Client(server);
        assertThat(waiting.line()).isEqualTo("220-tern.test ESMTP Tern"); // in its pause now
        Client second = new Client(server);
        assertThat(second.line()).startsWith("421 4.7.0 tern.test Too many connections from your address");
        assertThat(waiting.line()).isEqualTo("220 tern.test ESMTP Tern");
    }

    @Test
    void aListedClientGets554AndThenOnlyQuit() throws Exception {
        SmtpServer server = server(ScreenSettings.defaults()
                .withDnsbl(List.of(DnsblSite.parse("zen.test=127.0.0.[2..11]", true)), 1, 0, Duration.ofSeconds(5)), 10);
        Client listed = new Client(server);
        assertThat(listed.line()).isEqualTo("554 5.7.1 Service unavailable; client [127.0.0.1] blocked using zen.test");
        listed.send("EHLO listed.example");
        assertThat(listed.line()).startsWith("503 5.5.1 ");
        listed.send("QUIT");
        assertThat(listed.line()).startsWith("221 ");
    }

    @Test
    void aListedSenderDomainIsRefusedAtRcpt() throws Exception {
        SmtpServer server = server(ScreenSettings.defaults()
                .withRhsbl(List.of(), List.of(DnsblSite.parse("dbl.test", false))), 10);
        Client client = new Client(server);
        assertThat(client.reply()).containsExactly("220 tern.test ESMTP Tern");
        client.send("EHLO client.example");
        client.reply();
        client.send("MAIL FROM:<a@spam.example>");
        assertThat(client.line()).startsWith("250 ");
        client.send("RCPT TO:<bob@localhost>");
        assertThat(client.line()).isEqualTo(
                "554 5.7.1 Service unavailable; Sender address [spam.example] blocked using dbl.test");
        client.send("RSET");
        client.line();
        client.send("MAIL FROM:<a@good.example>");
        client.line();
        client.send("RCPT TO:<bob@localhost>");
        assertThat(client.line()).startsWith("250 ");
    }
}
