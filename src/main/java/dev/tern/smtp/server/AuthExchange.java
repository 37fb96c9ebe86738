package dev.tern.smtp.server;

import dev.tern.auth.Authenticator;
import dev.tern.auth.SaslMechanism;
import dev.tern.auth.SaslStep;
import dev.tern.smtp.protocol.Command;
import dev.tern.smtp.protocol.Replies;
import dev.tern.smtp.protocol.Reply;
import dev.tern.smtp.protocol.SmtpInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The AUTH command of a {@link Session} (RFC 4954): checks that AUTH may start, then runs the SASL exchange,
 * {@code 334} challenge by challenge, until the mechanism says yes or no. The mechanisms themselves (and the
 * throttle that slows and locks out guessers) live in {@code auth}; this class only speaks SMTP.
 */
final class AuthExchange {

    /** RFC 4954 §4: a server must accept response lines of at least 12288 octets. */
    static final int MAX_RESPONSE_LINE = 12288;

    static final Reply SUCCESS = Reply.of(235, "2.7.0", "Authentication successful");
    static final Reply INVALID = Reply.of(535, "5.7.8", "Authentication credentials invalid");
    /** RFC 4954 §6: the check could not be made now (throttled account or client, all checkers busy). */
    static final Reply TEMPORARY = Reply.of(454, "4.7.0", "Temporary authentication failure");
    static final Reply LOCKED_OUT = Reply.closing(421, "4.7.0", "Too many failed authentications, try again later");

    private final SessionSettings settings;
    private final Authenticator authenticator;
    private final Conversation conversation;
    private final SessionState state;

    AuthExchange(SessionSettings settings, Conversation conversation, SessionState state) {
        this.settings = settings;
        this.authenticator = settings.authenticator();
        this.conversation = conversation;
        this.state = state;
    }

    /** Whether EHLO should list AUTH: on submission listeners, over TLS (or plain on loopback if allowed). */
    boolean offered() {
        return settings.isSubmission() && authenticator != null && encryptionOk();
    }

    private boolean encryptionOk() {
        return conversation.tls() != null || (settings.plaintextAuthOnLoopback() && conversation.isLoopback());
    }

    Reply auth(Command.Auth command) throws IOException {
        Reply refusal = refusal();
        if (refusal != null) {
            return refusal;
        }
        String client = conversation.clientAddress();
        if (authenticator.isLockedOut(client)) {
            return LOCKED_OUT;
        }
        Optional<SaslMechanism> mechanism = authenticator.start(command.mechanism(), client);
        if (mechanism.isEmpty()) {
            return Reply.of(504, "5.5.4", "Unrecognized authentication type");
        }
        byte[] initial = null;
        if (command.initialResponse() != null) {
            initial = command.initialResponse().equals("=") ? new byte[0] : decode(command.initialResponse());
            if (initial == null) {
                return Reply.of(501, "5.5.2", "Cannot decode the initial response (Base64)");
            }
        }
        try {
            return exchange(mechanism.get(), mechanism.get().start(initial));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during authentication", e);
        }
    }

    /** RFC 4954 §4: AUTH needs EHLO, is not repeated, not inside a transaction, and not in clear text. */
    private Reply refusal() {
        if (!settings.isSubmission() || authenticator == null) {
            return Reply.of(502, "5.5.1", "AUTH not available on this port");
        }
        if (!encryptionOk()) {
            return Reply.of(538, "5.7.11", "Encryption required for requested authentication mechanism");
        }
        if (state.helo() == null || !state.extended()) {
            return Reply.of(503, "5.5.1", "Send EHLO first");
        }
        if (state.authUser() != null) {
            return Reply.of(503, "5.5.1", "Already authenticated");
        }
        if (state.transaction() != null) {
            return Reply.of(503, "5.5.1", "AUTH not allowed during a mail transaction");
        }
        return null;
    }

    private Reply exchange(SaslMechanism mechanism, SaslStep step) throws IOException, InterruptedException {
        // The line for the client's responses (12 KiB, RFC 4954 §4) lives as long as the exchange, not the
        // session: most sessions never authenticate, and one that did needs it no longer.
        SmtpInput.Line line = null;
        while (step instanceof SaslStep.Challenge challenge) {
            if (line == null) {
                line = new SmtpInput.Line(MAX_RESPONSE_LINE);
            }
            conversation.send(Reply.of(334, null, Base64.getEncoder().encodeToString(challenge.data())).withoutEnhancedCode());
            conversation.flush();
            conversation.in().readLine(line);
            switch (line.status()) {
                case EOF -> throw new IOException("client closed the connection during AUTH");
                case BARE_CR -> {
                    return Replies.BARE_CR;
                }
                case TOO_LONG -> {
                    return Reply.of(500, "5.5.6", "Authentication exchange line is too long");
                }
                case OK -> { }
            }
            String text = new String(line.bytes(), 0, line.length(), StandardCharsets.US_ASCII);
            if (text.equals("*")) {
                return Reply.of(501, "5.0.0", "Authentication cancelled");
            }
            byte[] response = decode(text);
            if (response == null) {
                return Reply.of(501, "5.5.2", "Cannot decode the response (Base64)");
            }
            step = mechanism.next(response);
        }
        if (step instanceof SaslStep.Success success) {
            state.authenticated(success.user());
            return SUCCESS;
        }
        if (authenticator.isLockedOut(conversation.clientAddress())) {
            return LOCKED_OUT;
        }
        return step instanceof SaslStep.Unavailable ? TEMPORARY : INVALID;
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
