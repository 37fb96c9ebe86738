package dev.tern.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Why and since when a message is held: it stays in the spool, never attempted, until an operator releases it.
 * Stored as {@code <id>.hold} beside the message, so that the runner's state writes never touch it:
 *
 * <pre>
 * tern-hold 1
 * since 2025-03-01T10:00:00Z
 * reason filter%20rule%20"quarantine"
 * </pre>
 *
 * @param reason what the operator or the rule said, or null
 * @param since  when the hold was placed
 */
public record Hold(String reason, Instant since) {

    private static final String HEADER = "tern-hold 1";

    byte[] encode() {
        return (HEADER + "\nsince " + since + "\nreason " + TextValues.escape(reason) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static Hold decode(byte[] data) throws IOException {
        String[] lines = new String(data, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length != 4 || !lines[0].equals(HEADER) || !lines[1].startsWith("since ")
                || !lines[2].startsWith("reason ") || !lines[3].isEmpty()) {
            throw new IOException("not a version 1 hold file");
        }
        try {
            return new Hold(TextValues.unescape(lines[2].substring(7)), Instant.parse(lines[1].substring(6)));
        } catch (DateTimeParseException e) {
            throw new IOException("bad time in hold file", e);
        }
    }
}
