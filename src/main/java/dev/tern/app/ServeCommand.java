package dev.tern.app;

import dev.tern.config.ConfigException;
import dev.tern.config.ConfigLoader;
import dev.tern.config.ListenerSettings;
import dev.tern.config.ServiceSettings;
import dev.tern.config.TernConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tern serve}: runs the mail server until stopped (Ctrl-C or SIGTERM, which stop gracefully and exit 0);
 * SIGHUP reads the configuration file again.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the mail server.",
                "Without --config it runs the embedded default: SMTP on 127.0.0.1:2525 for the domain localhost "
                        + "(plus any added with 'tern domain add'), data under ./data."})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "TOML configuration file (see docs/configuration.md).")
    Path configFile;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory: spool, mailboxes, users. Default: ./data, or data_dir from --config.")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        TernConfig config;
        try {
            config = loadConfig();
        } catch (ConfigException e) {
            System.err.println("tern: " + e.getMessage());
            return 1;
        }
        boolean json = LogOutput.chosen(config.service().logFormat()) == ServiceSettings.LogFormat.JSON;
        if (json) {
            LogOutput.useJson();
        }
        Tern tern = Tern.start(config, this::loadConfig);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C, or a JVM without signal handlers: the same graceful stop, from the shutdown hook.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            tern.stop();
            stopped.countDown();
        }, "shutdown"));
        Signals.install(tern, stopped::countDown);
        if (!json) {
            printBanner(tern); // a log shipper reads JSON only; the "listening" lines say the same
        }
        stopped.await();
        LogOutput.flush();
        return 0;
    }

    private TernConfig loadConfig() throws ConfigException {
        TernConfig defaults = TernConfig.defaults(machineHostname(), Path.of("data"));
        TernConfig config = configFile == null ? defaults : ConfigLoader.load(configFile, defaults);
        return dataDir == null ? config : config.withDataDir(dataDir);
    }

    private static void printBanner(Tern tern) {
        TernConfig config = tern.config();
        System.out.println("Tern is running as " + config.hostname());
        for (var server : tern.servers()) {
            ListenerSettings l = server.listener();
            System.out.printf("  %-12s smtp://%s:%d%n", l.name() + " (" + l.role().name().toLowerCase() + ")",
                    l.address(), server.port());
        }
        System.out.println("  data         " + config.dataDir().toAbsolutePath());
        var first = tern.servers().get(0);
        System.out.printf("Send a test message: swaks --server %s --port %d --to postmaster@%s%n",
                first.listener().address(), first.port(), config.domains().isEmpty() ? "localhost" : config.domains().get(0));
        System.out.println("Stop with Ctrl-C.");
    }

    static String machineHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
