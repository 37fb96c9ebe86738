package dev.tern.config;

import dev.tern.mail.Domain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Delivery to a mailbox server over LMTP (RFC 2033) instead of Tern's own Maildir, read from {@code [lmtp]} by
 * {@link LmtpReader}; off unless {@code socket} or {@code address} is given. docs/config-lmtp.md lists the keys.
 *
 * @param socket               the server's Unix domain socket ({@code /var/run/dovecot/lmtp}), or null
 * @param host                 the server's host for LMTP over TCP, or null (never both with {@code socket})
 * @param port                 its TCP port (Dovecot's examples use 24)
 * @param domains              the local domains delivered over LMTP, as {@link Domain#key()}; empty: all of them
 * @param connectTimeout       how long a connection and the server's greeting may take
 * @param commandTimeout       how long the server may take to answer LHLO, MAIL, RCPT and DATA
 * @param dataTimeout          how long each recipient's reply after the final dot may take (Sieve and quota run
 *                             then)
 * @param rcptCheck            ask the server at RCPT time whether the user exists and has room
 * @param rcptCheckTimeout     how long one such question may take, the SMTP client waiting meanwhile
 * @param rcptCheckConnections idle connections kept open for those questions
 */
public record LmtpSettings(Path socket, String host, int port, List<String> domains, Duration connectTimeout,
                           Duration commandTimeout, Duration dataTimeout, boolean rcptCheck, Duration rcptCheckTimeout,
                           int rcptCheckConnections) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(5);
    /** Postfix's {@code lmtp_data_done_timeout} is 600s: the server files the message for each user meanwhile. */
    public static final Duration DEFAULT_DATA_TIMEOUT = Duration.ofMinutes(10);
    /** The SMTP client waits for the answer at RCPT; RFC 5321 §4.5.3.2.2 gives it 5 minutes, we take far less. */
    public static final Duration DEFAULT_RCPT_CHECK_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_RCPT_CHECK_CONNECTIONS = 4;

    public LmtpSettings {
        domains = List.copyOf(domains);
    }

    public static LmtpSettings defaults() {
        return new LmtpSettings(null, null, 0, List.of(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_COMMAND_TIMEOUT,
                DEFAULT_DATA_TIMEOUT, false, DEFAULT_RCPT_CHECK_TIMEOUT, DEFAULT_RCPT_CHECK_CONNECTIONS);
    }

    /** Whether local mail goes to an LMTP server at all. */
    public boolean enabled() {
        return socket != null || host != null;
    }

    /** Whether mail for {@code domain} (a local domain) goes over LMTP rather than to Tern's Maildir. */
    public boolean serves(Domain domain) {
        return enabled() && domain != null && !domain.isAddressLiteral()
                && (domains.isEmpty() || domains.contains(domain.key()));
    }

    /** The same settings delivering to the Unix socket {@code path}, for every local domain or {@code only}. */
    public LmtpSettings withSocket(Path path, List<String> only) {
        return new LmtpSettings(path, null, 0, only, connectTimeout, commandTimeout, dataTimeout, rcptCheck,
                rcptCheckTimeout, rcptCheckConnections);
    }

    /** The same settings delivering over TCP to {@code hostName:portNumber}. */
    public LmtpSettings withAddress(String hostName, int portNumber, List<String> only) {
        return new LmtpSettings(null, hostName, portNumber, only, connectTimeout, commandTimeout, dataTimeout,
                rcptCheck, rcptCheckTimeout, rcptCheckConnections);
    }

    /** The same settings with the RCPT-time check on or off. */
    public LmtpSettings withRcptCheck(boolean on) {
        return new LmtpSettings(socket, host, port, domains, connectTimeout, commandTimeout, dataTimeout, on,
                rcptCheckTimeout, rcptCheckConnections);
    }
}
