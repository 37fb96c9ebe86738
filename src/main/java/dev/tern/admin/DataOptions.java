package dev.tern.admin;

import dev.tern.config.ConfigException;
import dev.tern.config.ConfigLoader;
import dev.tern.config.TernConfig;
import dev.tern.store.FileDirectory;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data} and {@code --config}, shared by the commands that change the directory. */
final class DataOptions {

    static final Path DEFAULT_DATA = Path.of("data");

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory (default: data_dir of --config, else ./data).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file: its data_dir and domains apply.")
    Path configFile;

    /** The configuration these options name: the file over the defaults, then {@code --data} over both. */
    TernConfig config() throws ConfigException {
        TernConfig defaults = TernConfig.defaults("localhost", DEFAULT_DATA);
        TernConfig config = configFile == null ? defaults : ConfigLoader.load(configFile, defaults);
        return dataDir == null ? config : config.withDataDir(dataDir);
    }

    FileDirectory directory() throws ConfigException, IOException {
        TernConfig config = config();
        return new FileDirectory(config.dataDir(), config.domains());
    }
}
