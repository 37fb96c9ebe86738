package dev.tern.config;

/**
 * An {@code "ip:port"} or {@code "[ipv6]:port"} key of a table that runs a listener of its own ({@code [metrics]},
 * {@code [mta_sts]}): a literal address, never a name to look up.
 */
record ListenAddress(String ip, int port) {

    /** The key's value, or null when it is absent or empty (the listener is off). */
    static ListenAddress read(Section s, String key) throws ConfigException {
        String listen = s.string(key, "");
        if (listen.isEmpty()) {
            return null;
        }
        int colon = listen.lastIndexOf(':');
        String ip = colon < 0 ? "" : listen.substring(0, colon);
        String portText = colon < 0 ? "" : listen.substring(colon + 1);
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        } else if (ip.indexOf(':') >= 0) {
            ip = ""; // an IPv6 address needs its brackets before the port
        }
        if (ip.isEmpty() || Syntax.ipProblem(ip) != null || !portText.matches("[0-9]{1,5}")
                || Integer.parseInt(portText) > 65535) {
            throw s.error(key, "must be \"ip:port\" or \"[ipv6]:port\", got \"" + listen + "\"");
        }
        return new ListenAddress(ip, Integer.parseInt(portText));
    }
}
