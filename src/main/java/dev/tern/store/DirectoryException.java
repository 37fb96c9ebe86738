package dev.tern.store;

/** A directory change refused for a reason the operator can fix (bad name, unknown domain, already exists). */
public final class DirectoryException extends Exception {
    public DirectoryException(String message) {
        super(message);
    }
}
