package dev.tern.control;

import dev.tern.mail.QueueId;
import dev.tern.queue.QueueOperations;
import dev.tern.queue.QueueRefusedException;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The requests, one line each, and how they are carried out on a {@link QueueOperations}: the server does it
 * on its runner, and {@code tern queue} on the spool files when no server runs, so both give the same replies.
 *
 * <pre>
 * PING                     OK pong
 * FLUSH [id]               OK ...      make waiting messages (or one) due now
 * DELETE id | DELETE-ALL   OK ...
 * HOLD id [reason...]      OK ...
 * RELEASE id               OK ...
 * BOUNCE id                OK ...      fail pending recipients with 5.0.0, notify the sender
 * QUEUED id                OK ...      a message committed by another process (tern sendmail)
 * STATUS                   OK ...      version, uptime, listeners, queue counts ({@link ServerStatus})
 * </pre>
 */
public final class ControlCommands {

    /** The longest request line accepted, in characters. */
    static final int MAX_LINE = 2048;

    private ControlCommands() {
    }

    /** Builds a request line; arguments lose any line break so a request is always one line. */
    public static String request(String verb, String... args) {
        StringBuilder out = new StringBuilder(verb);
        for (String a : args) {
            if (a != null && !a.isBlank()) {
                out.append(' ').append(oneLine(a).strip());
            }
        }
        return out.toString();
    }

    /** Carries out one request without a running server ({@code STATUS} is then refused). */
    public static ControlReply execute(String line, QueueOperations queue) {
        return execute(line, queue, null);
    }

    /**
     * Carries out one request; never throws: every failure is an {@code ERR} reply.
     *
     * @param status the running server's status, or null when there is none
     */
    public static ControlReply execute(String line, QueueOperations queue, Supplier<ServerStatus> status) {
        String[] parts = line.strip().split(" ", 3);
        String verb = parts[0].toUpperCase(Locale.ROOT);
        try {
            return switch (verb) {
                case "PING" -> ControlReply.ok("pong");
                case "STATUS" -> status == null ? ControlReply.error("no server is running")
                        : ControlReply.ok(status.get().line());
                case "FLUSH" -> parts.length == 1 ? flushAll(queue) : flush(queue, id(parts));
                case "DELETE" -> {
                    QueueId id = id(parts);
                    queue.delete(id);
                    yield ControlReply.ok("deleted " + id);
                }
                case "DELETE-ALL" -> ControlReply.ok("deleted " + count(queue.deleteAll()));
                case "HOLD" -> {
                    QueueId id = id(parts);
                    queue.hold(id, parts.length > 2 ? parts[2] : "held by the operator");
                    yield ControlReply.ok("held " + id);
                }
                case "RELEASE" -> {
                    QueueId id = id(parts);
                    queue.release(id);
                    yield ControlReply.ok("released " + id);
                }
                case "BOUNCE" -> {
                    QueueId id = id(parts);
                    int n = queue.bounce(id);
                    yield ControlReply.ok("bounced " + id + ": " + n + " recipient" + (n == 1 ? "" : "s")
                            + " failed with " + QueueOperations.BOUNCE_CODE);
                }
                case "QUEUED" -> {
                    QueueId id = id(parts);
                    queue.enqueued(id);
                    yield ControlReply.ok("queued " + id);
                }
                default -> ControlReply.error("unknown request: " + oneLine(parts[0]));
            };
        } catch (QueueRefusedException | IllegalArgumentException e) {
            return ControlReply.error(e.getMessage());
        } catch (IOException | RuntimeException e) {
            return ControlReply.error("failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static ControlReply flushAll(QueueOperations queue) throws IOException {
        return ControlReply.ok("flushed: " + count(queue.flush()) + " due now");
    }

    private static ControlReply flush(QueueOperations queue, QueueId id) throws IOException {
        queue.flush(id);
        return ControlReply.ok("flushed " + id);
    }

    private static String count(int n) {
        return n + " message" + (n == 1 ? "" : "s");
    }

    /** Queue ids are upper case; an operator may type them in either. */
    private static QueueId id(String[] parts) {
        String text = parts.length < 2 ? null : parts[1].toUpperCase(Locale.ROOT);
        if (!QueueId.isValid(text)) {
            throw new IllegalArgumentException(text == null ? parts[0] + " needs a queue id"
                    : "not a queue id: " + oneLine(parts[1]));
        }
        return new QueueId(text);
    }

    /** Control characters become spaces: nothing a request or reply carries can start a new line. */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LINE));
        for (int i = 0; i < text.length() && i < MAX_LINE; i++) {
            char c = text.charAt(i);
            out.append(c < ' ' || c == 0x7F || c == 0x2028 || c == 0x2029 || c == 0x85 ? ' ' : c);
        }
        return out.toString();
    }
}
