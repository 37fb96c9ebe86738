package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.ConfigException;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import dev.tern.control.ControlClient;
import dev.tern.control.ControlReply;
import dev.tern.store.FileDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Reload without restart: the file read again by the same loader; a session under way keeps its settings
 * while a new one gets the new ones; a listener change is reported as needing a restart and the listener stays;
 * a bad file is refused with its key and the running configuration stays. Through the control socket
 * ({@code tern reload}) and, in a child JVM, through SIGHUP.
 */
class ReloadIT {

    private static final String BASE = """
            hostname = "reload.tern.test"
            [[listener]]
            name = "mx"
            role = "mx"
            address = "127.0.0.1"
            port = %d
            """;

    @TempDir
    Path data;

    private Path file;

    private TernConfig load() throws ConfigException {
        return ConfigLoader.load(file, TernConfig.defaults("localhost", data)).withDataDir(data);
    }

    private void write(int port, String tables) throws Exception {
        Files.writeString(file, BASE.formatted(port) + tables);
    }

    @Test
    void newSessionsGetTheNewLimitsSessionsUnderWayKeepTheirsAndListenersNeedARestart() throws Exception {
        file = data.resolve("tern.toml");
        write(0, "[limits]\nmax_message_size = \"1MB\"\n");
        try (Tern tern = Tern.start(load(), this::load)) {
            int port = tern.port("mx");
            try (SmtpTestClient before = new SmtpTestClient(port)) {
                before.reply();
                assertThat(ehlo(before)).contains("250-SIZE 1000000");

                write(0, "[limits]\nmax_message_size = \"2MB\"\n[relay]\ntrusted_networks = [\"192.0.2.0/24\"]\n");
                Tern.ReloadOutcome outcome = tern.reload();
                assertThat(outcome.ok()).isTrue();
                assertThat(outcome.text()).isEqualTo("reloaded: changed [limits], [tls] [relay] [submission]");

                assertThat(ehlo(before)).as("the session under way").contains("250-SIZE 1000000");
                try (SmtpTestClient after = new SmtpTestClient(port)) {
                    after.reply();
                    assertThat(ehlo(after)).contains("250-SIZE 2000000");
                }
            }

            write(port + 1, "[limits]\nmax_message_size = \"2MB\"\n[relay]\ntrusted_networks = [\"192.0.2.0/24\"]\n");
            Tern.ReloadOutcome moved = tern.reload();
            assertThat(moved.text()).isEqualTo("reloaded: nothing changed; needs a restart: [[listener]]");
            assertThat(tern.port("mx")).isEqualTo(port);
            assertThat(tern.config().listeners().get(0).port()).isEqualTo(0);
        }
    }

    @Test
    void aBadFileIsRefusedWithItsKeyAndTheRunningConfigurationStays() throws Exception {
        file = data.resolve("tern.toml");
        write(0, "[limits]\nmax_message_size = \"1MB\"\n");
        try (Tern tern = Tern.start(load(), this::load)) {
            write(0, "[limits]\nmax_message_size = \"2MB\"\nmax_errors = -3\n");
            Tern.ReloadOutcome outcome = tern.reload();
            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.text()).startsWith("refused, the running configuration stays: ")
                    .contains("tern.toml").contains("limits.max_errors");
            try (SmtpTestClient client = new SmtpTestClient(tern.port("mx"))) {
                client.reply();
                assertThat(ehlo(client)).contains("250-SIZE 1000000");
            }

            write(0, "[[tls.certificate]]\nfullchain = \"missing.pem\"\nprivkey = \"missing.key\"\n");
            Tern.ReloadOutcome tls = tern.reload();
            assertThat(tls.ok()).as(tls.text()).isFalse();
            assertThat(tls.text()).contains("missing.pem");
        }
    }

    @Test
    void ternReloadAsksTheServerThroughTheControlSocket() throws Exception {
        file = data.resolve("tern.toml");
        write(0, "");
        try (Tern tern = Tern.start(load(), this::load)) {
            write(0, "[dns]\ntimeout = \"2s\"\n");
            ControlReply reply = ControlClient.send(data, "RELOAD").orElseThrow();
            assertThat(reply.ok()).isTrue();
            assertThat(reply.text()).isEqualTo("reloaded: changed [dns]");
            assertThat(tern.config().dns().timeout()).isEqualTo(Duration.ofSeconds(2));

            CommandLine command = Main.commandLine();
            StringWriter out = new StringWriter();
            command.setOut(new PrintWriter(out, true));
            assertThat(command.execute("reload", "--data", data.toString())).isZero();
            assertThat(out.toString()).contains("reloaded: nothing changed");
        }
    }

    @Test
    void sighupReloadsAChildServer() throws Exception {
        new FileDirectory(data, List.of("localhost"));
        file = data.resolve("tern.toml");
        write(0, "");
        Path output = data.resolve("out.log");
        try (ChildTern server = ChildTern.start(file, data, output)) {
            server.awaitPort(Duration.ofSeconds(60));
            write(0, "[dns]\ntimeout = \"3s\"\n");
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start();
            assertThat(kill.waitFor()).isZero();
            Instant until = Instant.now().plusSeconds(30);
            while (!server.output().contains("reload result=ok") && Instant.now().isBefore(until)) {
                Thread.sleep(100);
            }
            assertThat(server.output()).contains("reload result=ok changed=[dns]");
        }
    }

    private static String ehlo(SmtpTestClient client) throws Exception {
        client.lastReply.clear();
        client.command("EHLO client.tern.test");
        return String.join("\n", client.lastReply);
    }
}
