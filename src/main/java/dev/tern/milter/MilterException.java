package dev.tern.milter;

import java.io.IOException;

/** A milter that cannot be asked: down, closed, too slow, or speaking garbage. The message says which, for the log. */
final class MilterException extends IOException {

    MilterException(String reason) {
        super(reason);
    }

    MilterException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
