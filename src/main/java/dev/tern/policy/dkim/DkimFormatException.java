package dev.tern.policy.dkim;

/** A DKIM-Signature field or key record that does not follow the syntax or rules of RFC 6376. */
final class DkimFormatException extends Exception {

    DkimFormatException(String message) {
        super(message);
    }
}
