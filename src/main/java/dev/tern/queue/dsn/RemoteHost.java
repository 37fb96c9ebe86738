package dev.tern.queue.dsn;

/**
 * The remote server's name from an outcome's {@code where}, for Remote-MTA (RFC 3464 §2.3.5). A remote
 * courier names the host it talked to, optionally followed by its address ({@code mx.example.net[192.0.2.1]}
 * or {@code mx.example.net[192.0.2.1]:25}); anything that is not a host name gives null.
 */
final class RemoteHost {

    private RemoteHost() {
    }

    static String of(String where) {
        if (where == null) {
            return null;
        }
        String host = where.strip();
        int bracket = host.indexOf('[');
        if (bracket > 0) {
            host = host.substring(0, bracket);
        } else if (host.indexOf(':') > 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':'));
        }
        return host.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+")
                ? host : null;
    }
}
