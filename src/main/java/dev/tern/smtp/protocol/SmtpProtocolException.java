package dev.tern.smtp.protocol;

import java.io.IOException;

/** The server broke the protocol (a malformed or oversized reply): the connection cannot be trusted further. */
public final class SmtpProtocolException extends IOException {

    public SmtpProtocolException(String message) {
        super(message);
    }
}
