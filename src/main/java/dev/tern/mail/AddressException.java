package dev.tern.mail;

/** An address that does not follow RFC 5321 §4.1.2 (or RFC 6531 §3.3); the message is fit for the client. */
public final class AddressException extends Exception {
    public AddressException(String message) {
        super(message);
    }
}
