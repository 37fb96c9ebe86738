package dev.tern.config;

/**
 * A configuration file that cannot be used, with the file, the key and the reason, so an operator can fix it
 * without reading code: {@code tern.toml: limits.max_recipients: must be between 1 and 100000, got 0}.
 */
public final class ConfigException extends Exception {

    private final String file;
    private final String key;
    private final String reason;

    /**
     * @param file   the file as the operator named it
     * @param key    the dotted key ({@code listener[0].port}), or null when the problem is not one key
     * @param reason what is wrong and, where it helps, what would be right
     */
    public ConfigException(String file, String key, String reason) {
        super(key == null ? file + ": " + reason : file + ": " + key + ": " + reason);
        this.file = file;
        this.key = key;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    /** The dotted key, or null for a file-level problem (unreadable, bad TOML syntax). */
    public String key() {
        return key;
    }

    public String reason() {
        return reason;
    }
}
