package dev.tern.smtp.protocol;

import java.util.Map;

/**
 * A parsed SMTP command line (RFC 5321 §4.1.1). Parsing only checks syntax; whether a command is allowed
 * now is the session's business.
 */
public sealed interface Command {

    record Ehlo(String domain) implements Command { }

    record Helo(String domain) implements Command { }

    /** MAIL FROM: the raw path text (between the angle brackets) and its ESMTP parameters, keys upper case. */
    record Mail(String path, Map<String, String> params) implements Command { }

    /** RCPT TO: as for MAIL. */
    record Rcpt(String path, Map<String, String> params) implements Command { }

    record Data() implements Command { }

    /** RFC 3030 BDAT: a chunk of {@code size} octets follows this line; {@code last} ends the message. */
    record Bdat(long size, boolean last) implements Command { }

    record Rset() implements Command { }

    record Noop() implements Command { }

    record Quit() implements Command { }

    record Help(String topic) implements Command { }

    record Vrfy(String argument) implements Command { }

    record Expn(String argument) implements Command { }

    record StartTls() implements Command { }

    /** AUTH mechanism [initial-response] (RFC 4954 §4). */
    record Auth(String mechanism, String initialResponse) implements Command { }

    /** A known command this server does not implement (TURN, ETRN...): 502. */
    record NotImplemented(String verb) implements Command { }

    /** A line that is not a valid command: the reply says why. */
    record Invalid(Reply reply) implements Command { }
}
