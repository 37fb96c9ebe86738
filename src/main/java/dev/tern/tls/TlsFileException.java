package dev.tern.tls;

import java.io.IOException;
import java.nio.file.Path;

/** A certificate or key file that cannot be used; the message names the file and the reason. */
public final class TlsFileException extends IOException {

    private final transient Path file;

    TlsFileException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    TlsFileException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
