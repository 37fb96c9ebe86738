package dev.tern.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version the build wrote into {@code version.properties}, as {@code tern --version} prints it. */
final class ServerVersion {

    private static final String RESOURCE = "/dev/tern/admin/version.properties";

    private ServerVersion() {
    }

    /** The version, or {@code unknown} from a build that did not fill it in. */
    static String get() {
        Properties properties = new Properties();
        try (InputStream in = ServerVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String version = properties.getProperty("version", "");
        return version.isBlank() || version.startsWith("${") ? "unknown" : version;
    }
}
