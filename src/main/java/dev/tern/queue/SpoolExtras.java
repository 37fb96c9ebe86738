package dev.tern.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a session decided about a message after its content was on disk: header fields to put above it (our
 * {@code Authentication-Results:}, {@code DKIM-Signature:}), ranges of the content to leave out (forged
 * {@code Authentication-Results:} fields, RFC 8601 §5), and a mailbox folder other than the inbox (DMARC
 * quarantine, RFC 7489 §6.3). Streaming the content and then rewriting it would cost a second copy of every
 * message; instead these are kept beside the envelope, under the same checksum ({@link SpoolFormat}), and every
 * reader sees {@code prefix + (content - omitted)} as one message ({@link ContentSlice}).
 *
 * <pre>
 * tern-extras 1
 * prefix 412                    (octets of header fields, written right after the empty line)
 * omit 1200 87                  (offset and length in the content as received; ascending, disjoint)
 * folder Junk
 *
 * [412 octets of header fields]
 * </pre>
 *
 * @param prefix  header fields (CRLF-ended) to put above the content, topmost first
 * @param omitted content ranges readers skip, ascending and disjoint
 * @param folder  the mailbox folder to deliver into ({@code Junk}), or null for the inbox
 */
record SpoolExtras(byte[] prefix, List<Range> omitted, String folder) {

    static final SpoolExtras NONE = new SpoolExtras(new byte[0], List.of(), null);
    private static final String MAGIC = "tern-extras 1";
    /** A Maildir++ folder name: one level, nothing that could leave the mailbox. */
    static final Pattern FOLDER = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Octets {@code [offset, offset + length)} of the content as received. */
    record Range(long offset, long length) {
        Range {
            if (offset < 0 || length <= 0) {
                throw new IllegalArgumentException("bad content range " + offset + "+" + length);
            }
        }

        long end() {
            return offset + length;
        }
    }

    SpoolExtras {
        omitted = List.copyOf(omitted);
        if (folder != null && !FOLDER.matcher(folder).matches()) {
            throw new IllegalArgumentException("bad folder name: " + folder);
        }
    }

    boolean isEmpty() {
        return prefix.length == 0 && omitted.isEmpty() && folder == null;
    }

    /** {@code fields} go above the current prefix (each call adds fields at the top, as a relay would). */
    SpoolExtras withPrefix(byte[] fields) {
        byte[] joined = Arrays.copyOf(fields, fields.length + prefix.length);
        System.arraycopy(prefix, 0, joined, fields.length, prefix.length);
        return new SpoolExtras(joined, omitted, folder);
    }

    /** Adds a range, keeping the list sorted; refuses one overlapping an earlier range or past {@code limit}. */
    SpoolExtras withOmitted(Range range, long limit) {
        if (range.end() > limit) {
            throw new IllegalArgumentException("range " + range + " is past the content (" + limit + " octets)");
        }
        List<Range> all = new ArrayList<>(omitted);
        all.add(range);
        all.sort(Comparator.comparingLong(Range::offset));
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i).offset() < all.get(i - 1).end()) {
                throw new IllegalArgumentException("overlapping content ranges");
            }
        }
        return new SpoolExtras(prefix, all, folder);
    }

    SpoolExtras withFolder(String name) {
        return new SpoolExtras(prefix, omitted, name);
    }

    /** Octets readers skip in total. */
    long omittedLength() {
        return omitted.stream().mapToLong(Range::length).sum();
    }

    byte[] encode() {
        StringBuilder head = new StringBuilder(MAGIC).append('\n');
        head.append("prefix ").append(prefix.length).append('\n');
        for (Range r : omitted) {
            head.append("omit ").append(r.offset()).append(' ').append(r.length()).append('\n');
        }
        if (folder != null) {
            head.append("folder ").append(folder).append('\n');
        }
        head.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + prefix.length);
        out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(prefix);
        return out.toByteArray();
    }

    /** The extras at the start of {@code meta}, and where the envelope after them starts. */
    record Decoded(SpoolExtras extras, int envelopeStart) {
    }

    /** Strict like the envelope: an unknown line is an error, never a guess. */
    static Decoded decode(byte[] meta, long contentLength) throws IOException {
        int pos = 0;
        long prefixLength = -1;
        List<Range> ranges = new ArrayList<>();
        String folder = null;
        boolean first = true;
        while (true) {
            int lf = indexOf(meta, pos);
            if (lf < 0) {
                throw new IOException("spool extras not terminated");
            }
            String line = new String(meta, pos, lf - pos, StandardCharsets.US_ASCII);
            pos = lf + 1;
            if (first) {
                if (!line.equals(MAGIC)) {
                    throw new IOException("not a version 1 extras block");
                }
                first = false;
                continue;
            }
            if (line.isEmpty()) {
                break;
            }
            String[] t = line.split(" ", -1);
            try {
                switch (t[0]) {
                    case "prefix" -> prefixLength = Long.parseLong(t[1]);
                    case "omit" -> ranges.add(new Range(Long.parseLong(t[1]), Long.parseLong(t[2])));
                    case "folder" -> folder = t[1];
                    default -> throw new IOException("unknown extras field: " + TextValues.escape(t[0]));
                }
            } catch (RuntimeException e) {
                throw new IOException("bad extras line: " + TextValues.escape(line), e);
            }
        }
        if (prefixLength < 0 || prefixLength > meta.length - pos) {
            throw new IOException("extras prefix length out of range");
        }
        SpoolExtras extras = new SpoolExtras(Arrays.copyOfRange(meta, pos, pos + (int) prefixLength), List.of(), null);
        try {
            for (Range r : ranges) {
                extras = extras.withOmitted(r, contentLength);
            }
            extras = extras.withFolder(folder);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad spool extras: " + e.getMessage(), e);
        }
        return new Decoded(extras, pos + (int) prefixLength);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
