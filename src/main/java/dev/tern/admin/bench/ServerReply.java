package dev.tern.admin.bench;

import java.util.List;

/**
 * One SMTP reply as the client read it: the code of its last line and every line's text.
 *
 * @param code  the three-digit reply code (RFC 5321 §4.2)
 * @param lines the text after the code of each line, in order
 */
public record ServerReply(int code, List<String> lines) {

    public ServerReply {
        lines = List.copyOf(lines);
    }

    /** 2yz: the command was accepted (RFC 5321 §4.2.1). */
    public boolean positive() {
        return code >= 200 && code < 300;
    }

    /** 421: the server is closing the connection (RFC 5321 §3.8). */
    public boolean closing() {
        return code == 421;
    }

    /** The reply as it would appear on one line: the code and the text of every line. */
    @Override
    public String toString() {
        return code + " " + String.join(" / ", lines);
    }
}
