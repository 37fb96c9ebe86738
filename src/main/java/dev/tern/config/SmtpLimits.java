package dev.tern.config;

import java.time.Duration;

/**
 * Named limits of an SMTP session (invariant 7). Each has a default here and is checked at load.
 *
 * @param maxCommandLine         octets in a command line with CRLF (RFC 5321 §4.5.3.1.4: 512)
 * @param maxTextLine            octets in a line of message text with CRLF (§4.5.3.1.6: 1000)
 * @param maxMessageSize         octets in a message, advertised with SIZE (RFC 1870)
 * @param maxRecipients          recipients per message (§4.5.3.1.8 asks for at least 100); then 452 4.5.3
 * @param maxErrors              bad commands in a session before 421 4.7.0 and close
 * @param commandTimeout         waiting for a command (§4.5.3.2.7 suggests 5 minutes)
 * @param dataTimeout            waiting for the next data block (§4.5.3.2.5: 3 minutes)
 * @param sessionTimeout         a whole session, however busy
 * @param maxConnections         connections at once, all clients
 * @param maxConnectionsPerClient connections at once from one IP address
 * @param bareLineEndings        what to do with a bare CR or LF inside DATA (SMTP smuggling)
 * @param writeTimeout           a reply the client does not take in (a write that blocks) before the
 *                               connection is closed; Java sockets have none, a watchdog enforces it
 * @param recipientOvershoot     RCPTs past {@code maxRecipients} answered 452 without counting as errors
 *                               (RFC 5321 §4.5.3.1.10: the client sends them again later); past this many,
 *                               each counts, like Postfix's smtpd_recipient_overshoot_limit
 * @param minCommandRate         octets per second a command line must arrive at, once its first octet has;
 *                               slower, the client is dropped with 421 (0 turns the check off)
 * @param commandRateGrace       the time a command line may take before {@code minCommandRate} applies
 * @param stressThreshold        percent of {@code maxConnections} in use from which the server is under
 *                               stress and the short timeouts below apply (Postfix's {@code ${stress?}})
 * @param stressCommandTimeout   waiting for a command while under stress
 * @param stressDataTimeout      waiting for the next data block while under stress
 * @param maxHeaderSize          octets in a message's header block, its ending empty line included: the end-of-data
 *                               checks (DKIM, DMARC) hold the header in memory, so it is bounded on its own,
 *                               like Postfix's {@code header_size_limit}; then 552 5.3.4
 * @param maxReceivedHeaders     {@code Received:} fields a message may arrive with; more is taken for a mail loop
 *                               (RFC 5321 §6.3 asks for a threshold of at least 100); then 554 5.4.6
 */
public record SmtpLimits(
        int maxCommandLine,
        int maxTextLine,
        long maxMessageSize,
        int maxRecipients,
        int maxErrors,
        Duration commandTimeout,
        Duration dataTimeout,
        Duration sessionTimeout,
        int maxConnections,
        int maxConnectionsPerClient,
        BareLineEndings bareLineEndings,
        Duration writeTimeout,
        int recipientOvershoot,
        int minCommandRate,
        Duration commandRateGrace,
        int stressThreshold,
        Duration stressCommandTimeout,
        Duration stressDataTimeout,
        int maxHeaderSize,
        int maxReceivedHeaders) {

    /** 1 MiB: ten times Postfix's {@code header_size_limit}, far above any honest header block. */
    public static final int DEFAULT_MAX_HEADER_SIZE = 1024 * 1024;
    /** RFC 5321 §6.3: "normally at least 100"; Postfix's {@code hopcount_limit} of 50 is below that advice. */
    public static final int DEFAULT_MAX_RECEIVED_HEADERS = 100;

    /**
     * Connections at once by default: 20,000. A session waiting for a command costs about 10 KiB (its
     * virtual thread's stack and its objects; no buffers, see smtp.server.Session), so 10,000 idle sessions
     * and 1,000 sending mail fit the server's default heap and stay below the stress threshold (75 %).
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 20_000;

    public static SmtpLimits defaults() {
        return new SmtpLimits(512, 1000, 50L * 1024 * 1024, 100, 20,
                Duration.ofMinutes(5), Duration.ofMinutes(3), Duration.ofMinutes(30),
                DEFAULT_MAX_CONNECTIONS, 50, BareLineEndings.REJECT,
                Duration.ofMinutes(5), 1000, 2, Duration.ofSeconds(10), 75,
                Duration.ofSeconds(10), Duration.ofSeconds(30), DEFAULT_MAX_HEADER_SIZE, DEFAULT_MAX_RECEIVED_HEADERS);
    }

    /** The leniency for bare CR/LF in message text; REJECT unless an operator chooses otherwise. */
    public enum BareLineEndings {
        /** Read to the real end of data, then refuse the message with 554 5.6.0. */
        REJECT,
        /** Turn each bare CR or LF into CRLF and accept. */
        NORMALIZE
    }
}
