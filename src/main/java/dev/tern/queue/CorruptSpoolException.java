package dev.tern.queue;

import java.io.IOException;

/** A spool file that was read but makes no sense (bad footer, checksum or envelope): retrying cannot help. */
final class CorruptSpoolException extends IOException {
    CorruptSpoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
