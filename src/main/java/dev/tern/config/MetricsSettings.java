package dev.tern.config;

/**
 * The metrics and health listener, read from {@code [metrics]} by {@link MetricsReader}; off unless
 * {@code listen} is given.
 *
 * @param address         the IP address to listen on, or null when the listener is off
 * @param port            its TCP port (0: any free port, for tests)
 * @param minFreeDisk     {@code /readyz} fails while the spool's file system has fewer usable bytes than this
 * @param maxDestinations how many destination domains get their own deferral counter; the rest count as one
 *                        {@code other} series, so senders cannot grow the metrics without bound
 */
public record MetricsSettings(String address, int port, long minFreeDisk, int maxDestinations) {

    /** The default {@code min_free_disk}: 100 MiB, room for the mail already accepted to be delivered. */
    public static final long DEFAULT_MIN_FREE_DISK = 100L << 20;
    /** The default {@code max_destinations}. */
    public static final int DEFAULT_MAX_DESTINATIONS = 50;

    public static MetricsSettings defaults() {
        return new MetricsSettings(null, 0, DEFAULT_MIN_FREE_DISK, DEFAULT_MAX_DESTINATIONS);
    }

    /** Whether the listener runs. */
    public boolean enabled() {
        return address != null;
    }

    public MetricsSettings withListen(String value, int portValue) {
        return new MetricsSettings(value, portValue, minFreeDisk, maxDestinations);
    }

    public MetricsSettings withMinFreeDisk(long value) {
        return new MetricsSettings(address, port, value, maxDestinations);
    }
}
