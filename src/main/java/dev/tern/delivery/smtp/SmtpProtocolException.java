package dev.tern.delivery.smtp;

import java.io.IOException;

/** The server broke the protocol (a malformed or oversized reply): the connection cannot be trusted further. */
final class SmtpProtocolException extends IOException {

    SmtpProtocolException(String message) {
        super(message);
    }
}
