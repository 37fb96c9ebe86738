package dev.tern.admin;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a new password comes from: the terminal without echo (asked twice), or one line of standard input
 * when a script pipes it in ({@code echo secret | tern user add alice@example.com}).
 */
interface PasswordInput {

    /** A non-empty password, or a {@link UserError} saying why there is none. */
    char[] read(String user) throws UserError, IOException;

    /** The terminal when standard input is one, else standard input. */
    static PasswordInput system() {
        Console console = System.console();
        return console != null && isTerminal(console) ? terminal(console) : stream(System.in);
    }

    /**
     * Since Java 22 {@code System.console()} may return a console even when input is redirected; its
     * {@code isTerminal()} (Java 22) tells, looked up reflectively because Tern compiles for Java 21.
     */
    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 21: System.console() is null unless both ends are a terminal
        }
    }

    static PasswordInput terminal(Console console) {
        return user -> {
            char[] first = console.readPassword("Password for %s: ", user);
            if (first == null || first.length == 0) {
                throw new UserError("empty password refused");
            }
            char[] second = console.readPassword("Retype the password: ");
            boolean same = Arrays.equals(first, second);
            if (second != null) {
                Arrays.fill(second, '\0');
            }
            if (!same) {
                Arrays.fill(first, '\0');
                throw new UserError("the passwords do not match");
            }
            return first;
        };
    }

    /** One line (LF or CRLF ended, or up to end of input) of UTF-8; at most 1024 octets. */
    static PasswordInput stream(InputStream in) {
        return user -> {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            boolean any = false;
            while ((b = in.read()) != -1 && b != '\n') {
                any = true;
                if (line.size() >= 1024) {
                    throw new UserError("password longer than 1024 octets refused");
                }
                line.write(b);
            }
            if (!any && b == -1) {
                throw new UserError("no password: give one line on standard input");
            }
            byte[] bytes = line.toByteArray();
            int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            if (length == 0) {
                throw new UserError("empty password refused");
            }
            try {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, 0, length));
                char[] out = new char[chars.remaining()];
                chars.get(out);
                return out;
            } catch (CharacterCodingException e) {
                throw new UserError("the password is not valid UTF-8");
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        };
    }
}
