package dev.tern.config;

/**
 * One listening socket.
 *
 * @param name    a label for logs ({@code mx}, {@code submission}...)
 * @param role    what the listener is for
 * @param address the IP address to bind
 * @param port    the TCP port (0 picks a free one, for tests)
 */
public record ListenerSettings(String name, Role role, String address, int port) {

    /** MX receives mail for local domains (RFC 5321); the submission roles come with AUTH (RFC 6409, 8314). */
    public enum Role { MX, SUBMISSION, SUBMISSIONS }
}
