package dev.tern.smtp.protocol;

/** Replies used in more than one place, with their RFC 5321 / RFC 3463 codes. */
public final class Replies {

    public static final Reply OK = Reply.of(250, "2.0.0", "OK");
    public static final Reply SENDER_OK = Reply.of(250, "2.1.0", "Sender OK");
    public static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "Recipient OK");
    public static final Reply RESET = Reply.of(250, "2.0.0", "Reset state");
    public static final Reply BYE = Reply.closing(221, "2.0.0", "Bye");
    public static final Reply START_DATA = Reply.of(354, null, "End data with <CR><LF>.<CR><LF>");
    public static final Reply UNRECOGNIZED = Reply.of(500, "5.5.2", "Command unrecognized");
    public static final Reply NOT_IMPLEMENTED = Reply.of(502, "5.5.1", "Command not implemented");
    public static final Reply SEND_HELO_FIRST = Reply.of(503, "5.5.1", "Send EHLO or HELO first");
    public static final Reply NESTED_MAIL = Reply.of(503, "5.5.1", "Nested MAIL command");
    public static final Reply NEED_MAIL = Reply.of(503, "5.5.1", "Need MAIL command first");
    public static final Reply NEED_RCPT = Reply.of(503, "5.5.1", "Need RCPT command first");
    public static final Reply NO_VALID_RECIPIENTS = Reply.of(554, "5.5.1", "No valid recipients");
    public static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, "4.5.3", "Too many recipients");
    public static final Reply LOCAL_ERROR =
            Reply.of(451, "4.3.0", "Requested action aborted: local error in processing");
    public static final Reply TOO_MANY_ERRORS = Reply.closing(421, "4.7.0", "Too many errors, closing connection");
    public static final Reply TIMEOUT = Reply.closing(421, "4.4.2", "Timeout, closing connection");
    /** A command line arrived slower than {@code min_command_rate} allows. */
    public static final Reply TOO_SLOW = Reply.closing(421, "4.4.2", "Command line too slow, closing connection");
    /** RFC 5321 §2.3.8: a CR is part of a line end only before LF. */
    public static final Reply BARE_CR = Reply.of(500, "5.5.2", "Bare CR received; command lines end with CRLF");
    /** RFC 5321 §3.8 and RFC 3463 X.3.2 (system not accepting network messages): the server is stopping. */
    public static final Reply SHUTTING_DOWN = Reply.closing(421, "4.3.2", "Service shutting down, closing connection");
    public static final Reply SESSION_TOO_LONG = Reply.closing(421, "4.4.2", "Session time limit exceeded, closing connection");
    public static final Reply MESSAGE_TOO_BIG = Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    public static final Reply NON_ASCII_ADDRESS =
            Reply.of(553, "5.6.7", "Non-ASCII address requires the SMTPUTF8 parameter (RFC 6531)");
    public static final Reply RELAY_DENIED = Reply.of(550, "5.7.1", "Relaying denied");
    public static final Reply NO_SUCH_USER = Reply.of(550, "5.1.1", "No such user here");

    private Replies() {
    }
}
