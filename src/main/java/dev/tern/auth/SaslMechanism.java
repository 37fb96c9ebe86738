package dev.tern.auth;

/**
 * The server side of one SASL exchange (RFC 4422) for one {@code AUTH} command, without sockets or Base64.
 *
 * <p>The contract, as the SMTP session drives it (RFC 4954 §4):
 * <ol>
 *   <li>{@link #start} is called exactly once, with the initial response of {@code AUTH <mechanism>
 *       <initial-response>} decoded from Base64, an empty array when the client sent {@code =} (a
 *       zero-length initial response), or null when it sent none.</li>
 *   <li>While the answer is a {@link SaslStep.Challenge}, the session sends it ({@code 334 <base64>}), reads
 *       the client's line, and passes it decoded to {@link #next}. The session handles what is not a
 *       response: a line {@code *} cancels the exchange ({@code 501 5.0.0}, RFC 4954 §4) and a line that is
 *       not Base64 ends it ({@code 501 5.5.2}); the mechanism is then dropped without another call.</li>
 *   <li>{@link SaslStep.Success} and {@link SaslStep.Failure} are final: after either, no more calls
 *       ({@link IllegalStateException}).</li>
 * </ol>
 * A mechanism accepts any octets: malformed messages end in a {@link SaslStep.Failure}, never an
 * exception. It may overwrite an array passed to it once it is done with it (to wipe a password). An
 * instance serves one exchange on one thread and is then dropped.
 *
 * <p>The mechanisms {@link Authenticator#start} hands out also feed the {@link AuthThrottle}: a final
 * failure is recorded and waits out the failure delay inside {@code start} or {@code next} before it returns,
 * so the session replies only after it.
 */
public interface SaslMechanism {

    /** The mechanism's registered name (RFC 4422 §3.1), upper case: {@code PLAIN}, {@code SCRAM-SHA-256}. */
    String name();

    /**
     * Begins the exchange.
     *
     * @param initialResponse the decoded initial response, empty for {@code =}, or null when none was sent
     */
    SaslStep start(byte[] initialResponse);

    /**
     * Answers the client's response to the last challenge.
     *
     * @param response the decoded response (possibly empty)
     * @throws IllegalStateException before {@link #start} or after a final step
     */
    SaslStep next(byte[] response);
}
