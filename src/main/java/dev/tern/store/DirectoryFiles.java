package dev.tern.store;

import dev.tern.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The three text files of the embedded directory, UTF-8, one entry a line, {@code #} starts a comment line:
 * <pre>
 * domains:  example.org
 * users:    alice@example.org $argon2id$v=19$m=19456,t=2,p=1$salt$hash SCRAM-SHA-256$4096:salt$stored:server
 * aliases:  sales@example.org: alice@example.org, bob@example.org
 *           &#64;example.org: alice@example.org          (catch-all)
 *           list@example.org: alice@example.org, carol@elsewhere.example   (a forward to another domain)
 * quotas:   alice@example.org 2147483648               (octets; 0 for no quota at all)
 * </pre>
 * A user line has two or three words: the address, the password hash and, optionally (files written before
 * Tern kept them have none), the SCRAM-SHA-256 verifier in the form of {@link ScramCredential#encode()}.
 * Each is rewritten whole through {@link AtomicFiles#write}, so a reader sees the old or the new file.
 */
final class DirectoryFiles {

    static final String DOMAINS = "domains";
    static final String USERS = "users";
    static final String ALIASES = "aliases";
    static final String QUOTAS = "quotas";

    private DirectoryFiles() {
    }

    /** What identifies one version of a file: a rename makes a new file key, an edit a new size or time. */
    record Stamp(long size, FileTime modified, Object fileKey) {
        static final Stamp ABSENT = new Stamp(-1, null, null);
    }

    static List<Stamp> stamps(Path dir) throws IOException {
        List<Stamp> out = new ArrayList<>(4);
        for (String name : List.of(DOMAINS, USERS, ALIASES, QUOTAS)) {
            out.add(stamp(dir.resolve(name)));
        }
        return out;
    }

    private static Stamp stamp(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.size(), a.lastModifiedTime(), a.fileKey());
        } catch (NoSuchFileException e) {
            return Stamp.ABSENT;
        }
    }

    static DirectoryData read(Path dir) throws IOException {
        SortedSet<String> domains = new TreeSet<>();
        for (Line line : lines(dir.resolve(DOMAINS))) {
            if (!domains.add(line.parse(Names::domain))) {
                throw line.error("domain listed twice");
            }
        }
        SortedMap<String, StoredPassword> users = new TreeMap<>();
        for (Line line : lines(dir.resolve(USERS))) {
            String[] fields = line.text().split("[ \t]+");
            if (fields.length != 2 && fields.length != 3) {
                throw line.error("expected an address, a password hash and optionally a SCRAM verifier,"
                        + " separated by spaces");
            }
            StoredPassword password = StoredPassword.of(fields[1]);
            if (fields.length == 3) {
                try {
                    password = StoredPassword.of(fields[1], ScramCredential.parse(fields[2]));
                } catch (IllegalArgumentException e) {
                    throw line.error(e.getMessage());
                }
            }
            if (users.put(Line.of(line, fields[0]).parse(Names::userAddress), password) != null) {
                throw line.error("user listed twice");
            }
        }
        SortedMap<String, List<String>> aliases = new TreeMap<>();
        for (Line line : lines(dir.resolve(ALIASES))) {
            int colon = line.text().indexOf(':');
            if (colon < 0) {
                throw line.error("expected \"alias: target, target...\"");
            }
            String name = Line.of(line, line.text().substring(0, colon).strip()).parse(Names::aliasAddress);
            List<String> targets = new ArrayList<>();
            for (String target : line.text().substring(colon + 1).split(",")) {
                targets.add(Line.of(line, target.strip()).parse(Names::target));
            }
            if (aliases.put(name, targets) != null) {
                throw line.error("alias listed twice");
            }
        }
        return new DirectoryData(domains, users, aliases, quotas(dir));
    }

    private static SortedMap<String, Long> quotas(Path dir) throws IOException {
        SortedMap<String, Long> quotas = new TreeMap<>();
        for (Line line : lines(dir.resolve(QUOTAS))) {
            String[] fields = line.text().split("[ \t]+");
            if (fields.length != 2 || !fields[1].matches("[0-9]{1,16}")) {
                throw line.error("expected a user and a quota in octets, separated by a space");
            }
            if (quotas.put(Line.of(line, fields[0]).parse(Names::userAddress), Long.parseLong(fields[1])) != null) {
                throw line.error("user listed twice");
            }
        }
        return quotas;
    }

    static void writeQuotas(Path dir, SortedMap<String, Long> quotas) throws IOException {
        StringBuilder out = new StringBuilder("# Storage quotas in octets of users whose quota is not [mailbox]"
                + " default_quota (0: none); see `tern user set --quota`.\n");
        quotas.forEach((user, quota) -> out.append(user).append(' ').append(quota).append('\n'));
        AtomicFiles.write(dir.resolve(QUOTAS), out.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void writeDomains(Path dir, SortedSet<String> domains) throws IOException {
        StringBuilder out = new StringBuilder("# Local domains besides those in the config file; see `tern domain`.\n");
        domains.forEach(d -> out.append(d).append('\n'));
        AtomicFiles.write(dir.resolve(DOMAINS), out.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void writeUsers(Path dir, SortedMap<String, StoredPassword> users) throws IOException {
        StringBuilder out = new StringBuilder("# Users: address, Argon2id password hash, SCRAM-SHA-256 verifier"
                + " (optional); see `tern user`.\n");
        users.forEach((user, password) -> {
            out.append(user).append(' ').append(password.hash());
            password.scramSha256().ifPresent(scram -> out.append(' ').append(scram.encode()));
            out.append('\n');
        });
        // Password hashes are secrets too (an offline guesser needs them): AtomicFiles creates the file 0600.
        AtomicFiles.write(dir.resolve(USERS), out.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void writeAliases(Path dir, SortedMap<String, List<String>> aliases) throws IOException {
        StringBuilder out = new StringBuilder("# Aliases: alias: target, target...; @domain is a catch-all; see `tern alias`.\n");
        aliases.forEach((name, targets) -> out.append(name).append(": ").append(String.join(", ", targets)).append('\n'));
        AtomicFiles.write(dir.resolve(ALIASES), out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static List<Line> lines(Path file) throws IOException {
        List<String> raw;
        try {
            raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String text = raw.get(i).strip();
            if (!text.isEmpty() && !text.startsWith("#")) {
                out.add(new Line(file, i + 1, text));
            }
        }
        return out;
    }

    /** One meaningful line, for messages that say which file and line to fix. */
    private record Line(Path file, int number, String text) {

        static Line of(Line where, String text) {
            return new Line(where.file, where.number, text);
        }

        IOException error(String reason) {
            return new IOException(file + " line " + number + ": " + reason);
        }

        String parse(Parser parser) throws IOException {
            try {
                return Objects.requireNonNull(parser.parse(text));
            } catch (DirectoryException e) {
                throw error(e.getMessage());
            }
        }
    }

    @FunctionalInterface
    private interface Parser {
        String parse(String text) throws DirectoryException;
    }
}
