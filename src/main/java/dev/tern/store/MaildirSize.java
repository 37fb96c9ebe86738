package dev.tern.store;

import dev.tern.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Maildir++ quota file {@code maildirsize} at the top of a mailbox, as Courier specifies it and Dovecot's
 * {@code quota = maildir} reads and writes it, so both count the same bytes:
 * <pre>
 * 1073741824S,1000C      the limits: octets (S) and, optionally, messages (C)
 * 2875 1                 a line per change: octets and messages added (negative when removed)
 * </pre>
 * The usage is the sum of the lines after the first. The file is recalculated (the sizes of every message in
 * {@code new/} and {@code cur/} of the mailbox and of each {@code .Folder}, from the {@code ,S=} of the file
 * name where there is one, as Dovecot does) and written again atomically when it is missing or unreadable,
 * when its limits are not ours, when it has grown past {@link #RECALCULATE_ABOVE} octets, and when it says the
 * mailbox is full but was last changed {@link #STALE_WHEN_FULL} ago (a client may have deleted mail without
 * writing its line, so the mailbox is counted again before anyone is refused).
 */
final class MaildirSize {

    static final String FILE = "maildirsize";
    /** Maildir++: a file grown past this many octets is recalculated, so its lines do not grow forever. */
    static final long RECALCULATE_ABOVE = 5120;
    /** Maildir++: a "full" answer from a file this old is checked by counting the mailbox again. */
    static final Duration STALE_WHEN_FULL = Duration.ofMinutes(15);

    private static final Pattern SIZE_IN_NAME = Pattern.compile(",S=([0-9]{1,18})");
    private static final Pattern HEADER_PART = Pattern.compile("([0-9]{1,18})([SC])");

    private MaildirSize() {
    }

    /** Quota limits: octets and messages, 0 for no limit. */
    record Limits(long bytes, long messages) {

        /** The first line, in the form Dovecot writes: {@code 1073741824S}, {@code 1073741824S,1000C}. */
        String header() {
            return messages > 0 ? bytes + "S," + messages + "C" : bytes + "S";
        }

        /** The limits of a first line, or null when it is not one. */
        static Limits parse(String line) {
            long bytes = 0;
            long messages = 0;
            for (String part : line.strip().split(",")) {
                Matcher m = HEADER_PART.matcher(part.strip());
                if (!m.matches()) {
                    return null;
                }
                long value = Long.parseLong(m.group(1));
                if (m.group(2).equals("S")) {
                    bytes = value;
                } else {
                    messages = value;
                }
            }
            return new Limits(bytes, messages);
        }

        /** Whether a mailbox using {@code usage} has reached a limit (RFC 3463 X.2.2: mailbox full). */
        boolean reached(Usage usage) {
            return (bytes > 0 && usage.bytes() >= bytes) || (messages > 0 && usage.messages() >= messages);
        }

        /** Whether one more message of {@code size} octets would pass a limit. */
        boolean exceededBy(Usage usage, long size) {
            return (bytes > 0 && usage.bytes() + size > bytes) || (messages > 0 && usage.messages() + 1 > messages);
        }
    }

    /** What a mailbox holds. */
    record Usage(long bytes, long messages) {
    }

    /**
     * The limits and usage of mailbox {@code box}: the storage limit ours, a message limit kept from the file
     * when it names one (Dovecot may keep one); the file is recalculated when Maildir++ says to.
     */
    static Quota read(Path box, long storageLimit, Instant now) throws IOException {
        Path file = box.resolve(FILE);
        List<String> lines;
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
            lines = Files.size(file) > RECALCULATE_ABOVE ? null : Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return recalculate(box, new Limits(storageLimit, 0));
        }
        Limits limits = lines == null || lines.isEmpty() ? null : Limits.parse(lines.get(0));
        if (limits == null || limits.bytes() != storageLimit) {
            return recalculate(box, new Limits(storageLimit, limits == null ? 0 : limits.messages()));
        }
        Usage usage = sum(lines);
        if (usage == null) {
            return recalculate(box, limits);
        }
        if (limits.reached(usage) && modified.toInstant().plus(STALE_WHEN_FULL).isBefore(now)) {
            return recalculate(box, limits);
        }
        return new Quota(limits, usage);
    }

    /** The limits and the usage of one mailbox. */
    record Quota(Limits limits, Usage usage) {
    }

    private static Usage sum(List<String> lines) {
        long bytes = 0;
        long messages = 0;
        for (String line : lines.subList(1, lines.size())) {
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            String[] fields = text.split("[ \t]+");
            if (fields.length != 2 || !fields[0].matches("-?[0-9]{1,18}") || !fields[1].matches("-?[0-9]{1,18}")) {
                return null; // a torn or foreign line: count the mailbox instead of trusting it
            }
            bytes += Long.parseLong(fields[0]);
            messages += Long.parseLong(fields[1]);
        }
        return new Usage(Math.max(0, bytes), Math.max(0, messages));
    }

    /** Appends one change, in one write to a file opened for appending, as Maildir++ asks. */
    static void add(Path box, long bytes, int messages) throws IOException {
        Path file = box.resolve(FILE);
        if (!Files.exists(file)) {
            return; // the next read counts the mailbox, this message included
        }
        byte[] line = (bytes + " " + messages + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND))) {
            ch.write(ByteBuffer.wrap(line));
        }
    }

    /** Counts the mailbox and writes the file anew (temporary file, rename): the limits, then one line. */
    static Quota recalculate(Path box, Limits limits) throws IOException {
        long[] total = new long[2];
        count(box, total);
        if (Files.isDirectory(box)) {
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(box, p -> p.getFileName().toString()
                    .startsWith(".") && !p.getFileName().toString().equals("..") && Files.isDirectory(p))) {
                for (Path folder : folders) {
                    count(folder, total);
                }
            }
            String text = limits.header() + "\n" + total[0] + " " + total[1] + "\n";
            AtomicFiles.write(box.resolve(FILE), text.getBytes(StandardCharsets.US_ASCII));
        }
        return new Quota(limits, new Usage(total[0], total[1]));
    }

    private static void count(Path maildir, long[] total) throws IOException {
        for (String sub : List.of("new", "cur")) {
            Path dir = maildir.resolve(sub);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    long size = sizeOf(file);
                    if (size >= 0) {
                        total[0] += size;
                        total[1]++;
                    }
                }
            }
        }
    }

    /** The {@code ,S=} size of the name, else the file's size; -1 for a file gone meanwhile (expunged). */
    private static long sizeOf(Path file) throws IOException {
        Matcher m = SIZE_IN_NAME.matcher(file.getFileName().toString());
        if (m.find()) {
            return Long.parseLong(m.group(1));
        }
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return -1;
        }
    }
}
