package dev.tern.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fail2ban filter of docs/auth.md, read out of the document itself, applied to log lines as fail2ban
 * applies it: to a file's lines with their first timestamp cut out (fail2ban's date detector searches the
 * line for it), or to journal entries as {@code host identifier[pid]: message}, Tern's own timestamp included.
 */
public final class Fail2banFilter {

    /** fail2ban's {@code <ADDR>}: an IPv4 or IPv6 address, here as a named group. */
    private static final String ADDR = "(?<addr>(?:\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})";
    /** The dates fail2ban's default detector finds: ISO 8601 with optional fraction and zone. */
    private static final Pattern DATE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?(?:\\s*(?:Z|UTC|GMT|[+-][01]\\d(?::?\\d\\d)?))?");

    private final Pattern failregex;

    private Fail2banFilter(String failregex) {
        this.failregex = Pattern.compile(failregex.replace("<ADDR>", ADDR));
    }

    /** The {@code failregex} of the filter shown in docs/auth.md. */
    public static Fail2banFilter fromDocs() {
        try {
            List<String> doc = Files.readAllLines(Path.of("docs/auth.md"));
            List<String> regexes = doc.stream().filter(l -> l.startsWith("failregex = "))
                    .map(l -> l.substring("failregex = ".length())).toList();
            if (regexes.size() != 1) {
                throw new AssertionError("docs/auth.md should show one failregex, not " + regexes);
            }
            return new Fail2banFilter(regexes.getFirst());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any other filter, for showing what it would have matched. */
    public static Fail2banFilter of(String failregex) {
        return new Fail2banFilter(failregex);
    }

    /** The addresses banned when fail2ban reads these lines from a file ({@code logpath}). */
    public Set<String> fromFile(List<String> lines) {
        Set<String> found = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher date = DATE.matcher(line);
            String cut = date.find() ? line.substring(0, date.start()) + line.substring(date.end()) : line;
            match(cut, found);
        }
        return found;
    }

    /** The addresses banned when fail2ban reads these lines, one journal entry each ({@code backend = systemd}). */
    public Set<String> fromJournal(List<String> lines) {
        Set<String> found = new LinkedHashSet<>();
        lines.forEach(line -> match("mx.example.org tern[4242]: " + line, found));
        return found;
    }

    private void match(String line, Set<String> found) {
        Matcher m = failregex.matcher(line);
        if (m.find()) {
            found.add(m.group("addr"));
        }
    }
}
