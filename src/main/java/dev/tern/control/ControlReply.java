package dev.tern.control;

/**
 * One reply line: {@code OK text} or {@code ERR text}.
 *
 * @param ok   whether the request was carried out
 * @param text what to show the operator
 */
public record ControlReply(boolean ok, String text) {

    static ControlReply ok(String text) {
        return new ControlReply(true, text);
    }

    static ControlReply error(String text) {
        return new ControlReply(false, text);
    }

    /** The reply as sent: one line, without its line end. */
    String line() {
        return (ok ? "OK " : "ERR ") + ControlCommands.oneLine(text);
    }

    static ControlReply parse(String line) {
        if (line != null && line.startsWith("OK ")) {
            return ok(line.substring(3));
        }
        if (line != null && line.startsWith("ERR ")) {
            return error(line.substring(4));
        }
        return error("unexpected reply from the server: " + (line == null ? "(none)" : ControlCommands.oneLine(line)));
    }
}
