package dev.tern.admin;

/** Something the operator asked for that cannot be done; printed as one line, exit code 1. */
final class UserError extends Exception {
    UserError(String message) {
        super(message);
    }
}
