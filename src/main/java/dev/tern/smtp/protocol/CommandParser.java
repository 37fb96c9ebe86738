package dev.tern.smtp.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns one command line (without its CRLF) into a {@link Command}. Strict by design (invariant 4):
 * verbs are case-insensitive (RFC 5321 §2.4) but the rest follows the grammar of §4.1.1 and §4.1.2,
 * with no space around the colon of {@code MAIL FROM:} and {@code RCPT TO:}.
 */
public final class CommandParser {

    private static final Set<String> NOT_IMPLEMENTED = Set.of("TURN", "ETRN", "ATRN", "SEND", "SOML", "SAML");
    private static final Reply SYNTAX_ERROR = Reply.of(501, "5.5.4", "Syntax error in parameters or arguments");

    private CommandParser() {
    }

    /** Parses a line; never throws. */
    public static Command parse(byte[] line, int length) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return new Command.Invalid(Reply.of(500, "5.5.2", "Invalid UTF-8 in command line"));
        }
        return parse(text);
    }

    public static Command parse(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' || c == 127) {
                return new Command.Invalid(Reply.of(500, "5.5.2",
                        c == 0 ? "NUL character in command line" : "Control character in command line"));
            }
        }
        int space = text.indexOf(' ');
        String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : text.substring(space + 1);
        boolean hasArgument = space >= 0;
        return switch (verb) {
            case "EHLO" -> helloArgument(rest) ? new Command.Ehlo(rest) : invalid("Syntax: EHLO domain");
            case "HELO" -> helloArgument(rest) ? new Command.Helo(rest) : invalid("Syntax: HELO domain");
            case "MAIL" -> pathCommand(rest, "FROM:", true);
            case "RCPT" -> pathCommand(rest, "TO:", false);
            case "DATA" -> hasArgument ? invalid("Syntax: DATA (no arguments)") : new Command.Data();
            case "BDAT" -> bdat(rest);
            case "RSET" -> hasArgument ? invalid("Syntax: RSET (no arguments)") : new Command.Rset();
            case "NOOP" -> new Command.Noop(); // §4.1.1.9: a parameter may be given and is ignored
            case "QUIT" -> hasArgument ? invalid("Syntax: QUIT (no arguments)") : new Command.Quit();
            case "HELP" -> new Command.Help(rest);
            case "VRFY" -> rest.isBlank() ? invalid("Syntax: VRFY address") : new Command.Vrfy(rest);
            case "EXPN" -> rest.isBlank() ? invalid("Syntax: EXPN list") : new Command.Expn(rest);
            case "STARTTLS" -> hasArgument ? invalid("Syntax: STARTTLS (no arguments)") : new Command.StartTls();
            case "AUTH" -> auth(rest);
            default -> NOT_IMPLEMENTED.contains(verb) ? new Command.NotImplemented(verb)
                    : new Command.Invalid(Replies.UNRECOGNIZED);
        };
    }

    private static Command invalid(String text) {
        return new Command.Invalid(Reply.of(501, "5.5.4", text));
    }

    /** EHLO/HELO take exactly one word (§4.1.1.1); the session checks its syntax more closely. */
    private static boolean helloArgument(String rest) {
        return !rest.isEmpty() && rest.indexOf(' ') < 0;
    }

    /** {@code FROM:<path> [SP params]} or {@code TO:<path> [SP params]} (§4.1.1.2-3). */
    private static Command pathCommand(String rest, String keyword, boolean mail) {
        String syntax = mail ? "Syntax: MAIL FROM:<address> [parameters]" : "Syntax: RCPT TO:<address> [parameters]";
        if (!rest.regionMatches(true, 0, keyword, 0, keyword.length())) {
            return invalid(syntax);
        }
        String after = rest.substring(keyword.length());
        if (!after.startsWith("<")) {
            return invalid(syntax + " (no space after the colon, RFC 5321 §3.3)");
        }
        int close = closingBracket(after);
        if (close < 0) {
            return invalid(syntax);
        }
        String path = after.substring(1, close);
        String tail = after.substring(close + 1);
        if (!tail.isEmpty() && !tail.startsWith(" ")) {
            return invalid(syntax);
        }
        Map<String, String> params = parseParams(tail.isEmpty() ? "" : tail.substring(1));
        if (params == null) {
            return new Command.Invalid(SYNTAX_ERROR);
        }
        return mail ? new Command.Mail(path, params) : new Command.Rcpt(path, params);
    }

    /** The index of the {@code >} ending the path, skipping quoted strings; -1 if there is none. */
    private static int closingBracket(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code esmtp-param *(SP esmtp-param)}, {@code esmtp-keyword ["=" esmtp-value]} (§4.1.2). Keys are
     * upper-cased; a keyword given twice or a malformed one makes the whole line invalid (null).
     */
    static Map<String, String> parseParams(String text) {
        Map<String, String> params = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return params;
        }
        for (String param : text.split(" ", -1)) {
            int eq = param.indexOf('=');
            String key = (eq < 0 ? param : param.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : param.substring(eq + 1);
            if (!isKeyword(key) || (value != null && !isValue(value)) || params.containsKey(key)) {
                return null;
            }
            params.put(key, value);
        }
        return params;
    }

    private static boolean isKeyword(String key) {
        if (key.isEmpty() || !Character.isLetterOrDigit(key.charAt(0))) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** esmtp-value = 1*(%d33-60 / %d62-126), widened to UTF-8 by RFC 6531 §4.3. */
    private static boolean isValue(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '=' || c <= ' ' || c == 127) {
                return false;
            }
        }
        return true;
    }

    /**
     * A BDAT line we cannot read leaves us not knowing where its chunk ends: the chunk would be read as
     * commands. The only safe answer is to refuse and close (never desynchronise, invariant 4).
     */
    private static Command bdat(String rest) {
        String[] parts = rest.split(" ", -1);
        boolean valid = !rest.isEmpty() && parts.length <= 2 && parts[0].matches("[0-9]{1,18}")
                && (parts.length == 1 || parts[1].equalsIgnoreCase("LAST"));
        if (!valid) {
            return new Command.Invalid(Reply.closing(501, "5.5.4", "Syntax: BDAT size [LAST]; closing connection"));
        }
        return new Command.Bdat(Long.parseLong(parts[0]), parts.length == 2);
    }

    private static Command auth(String rest) {
        String[] parts = rest.split(" ", -1);
        if (rest.isEmpty() || parts.length > 2 || parts[0].isEmpty()) {
            return invalid("Syntax: AUTH mechanism [initial-response]");
        }
        return new Command.Auth(parts[0].toUpperCase(Locale.ROOT), parts.length == 2 ? parts[1] : null);
    }
}
