package dev.tern.testdovecot;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain IMAP4rev1 client (RFC 3501) over a JDK socket, just enough to read stored messages back exactly as
 * the server keeps them: LOGIN, SELECT, {@code FETCH n BODY.PEEK[]} with its literal, LOGOUT.
 */
public final class Imap implements AutoCloseable {

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");
    private static final Pattern EXISTS = Pattern.compile("^\\* (\\d+) EXISTS$");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tag;

    private Imap(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        String greeting = line();
        if (!greeting.startsWith("* OK")) {
            throw new IOException("IMAP greeting: " + greeting);
        }
    }

    public static Imap login(int port, String user, String password) throws IOException {
        Imap imap = new Imap(new Socket("127.0.0.1", port));
        imap.command("LOGIN \"" + user + "\" \"" + password + "\"");
        return imap;
    }

    /** Selects {@code folder}; returns how many messages it holds. */
    public int select(String folder) throws IOException {
        int exists = 0;
        for (String line : command("SELECT \"" + folder + "\"")) {
            Matcher m = EXISTS.matcher(line);
            if (m.matches()) {
                exists = Integer.parseInt(m.group(1));
            }
        }
        return exists;
    }

    /** The whole message {@code n} of the selected folder, as stored: {@code BODY.PEEK[]} (RFC 3501 §6.4.5). */
    public byte[] fetch(int n) throws IOException {
        String t = next();
        send(t + " FETCH " + n + " BODY.PEEK[]");
        byte[] body = null;
        while (true) {
            String line = line();
            Matcher m = LITERAL.matcher(line);
            if (line.startsWith("* ") && m.find()) {
                body = in.readNBytes(Integer.parseInt(m.group(1)));
                line(); // the closing parenthesis
            } else if (line.startsWith(t + " ")) {
                if (!line.startsWith(t + " OK") || body == null) {
                    throw new IOException("FETCH: " + line);
                }
                return body;
            }
        }
    }

    private List<String> command(String command) throws IOException {
        String t = next();
        send(t + " " + command);
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            if (line.startsWith(t + " ")) {
                if (!line.startsWith(t + " OK")) {
                    throw new IOException(command.split(" ")[0] + ": " + line);
                }
                return lines;
            }
            lines.add(line);
        }
    }

    private String next() {
        return "a" + (++tag);
    }

    private void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private String line() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("IMAP server closed the connection");
            }
            buffer.write(c);
        }
        String s = buffer.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() throws IOException {
        try {
            command("LOGOUT");
        } catch (IOException e) {
            // closing anyway
        } finally {
            socket.close();
        }
    }
}
