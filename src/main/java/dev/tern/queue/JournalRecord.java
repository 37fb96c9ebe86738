package dev.tern.queue;

import dev.tern.mail.QueueId;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One record of a journal segment ({@link SpoolJournal}):
 *
 * <pre>
 * "TJR2"  kind (1 octet: 'C' commit, 'D' done)  id length n (1 octet)  payload length L (8 octets, big-endian)
 * id (n octets, ASCII)  payload (L octets)  CRC-32C (4 octets)
 * </pre>
 *
 * The CRC-32C covers everything before it and then the segment's sequence number (8 octets, big-endian; the
 * number in the segment's file name), which is not written. A segment file is reused once drained
 * ({@link SpoolJournal}): what its earlier life left beyond the new records then fails its checksum, because it
 * was written under another number, and reads as the end. Records of the first format, {@code "TJR1"}, whose
 * checksum does not cover the sequence, are still read: an older version may have left them (never in a reused
 * file, since only files this format wrote are reused).
 *
 * <p>A commit's payload is exactly what the message's own spool file would hold ({@link SpoolFormat}: content,
 * extras, envelope, footer), so a message moves from the journal to a file by copying it. A done record has no
 * payload: the message was finished or moved to its own file.
 *
 * <p>Records are appended one at a time, so only the last one of a segment can be torn by a crash; the reader
 * stops at the first record whose checksum fails, and nothing after it was ever acknowledged.
 *
 * @param kind         {@link #COMMIT} or {@link #DONE}
 * @param id           the message's queue id
 * @param payloadStart where the payload starts in the segment
 * @param payloadLength its length
 */
record JournalRecord(byte kind, QueueId id, long payloadStart, long payloadLength) {

    static final byte COMMIT = 'C';
    static final byte DONE = 'D';
    private static final byte[] MAGIC = {'T', 'J', 'R', '2'};
    /** The first format: its checksum does not cover the segment's sequence number. */
    private static final byte[] MAGIC_V1 = {'T', 'J', 'R', '1'};
    private static final int FIXED_HEADER = 14;
    private static final int MAX_ID = 64;

    /** The header of a record; {@code crc} is then updated with it. */
    static ByteBuffer header(byte kind, QueueId id, long payloadLength, CRC32C crc) {
        byte[] name = id.value().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer header = ByteBuffer.allocate(FIXED_HEADER + name.length);
        header.put(MAGIC).put(kind).put((byte) name.length).putLong(payloadLength).put(name).flip();
        crc.update(header.duplicate());
        return header;
    }

    /** The checksum that closes a record written to the segment numbered {@code sequence}. */
    static ByteBuffer checksum(CRC32C crc, long sequence) {
        coverSequence(crc, sequence);
        return ByteBuffer.allocate(4).putInt((int) crc.getValue()).flip();
    }

    /** The segment's number, last in a {@code TJR2} checksum and never written. */
    private static void coverSequence(CRC32C crc, long sequence) {
        crc.update(ByteBuffer.allocate(8).putLong(sequence).flip());
    }

    /** The sequence number in a segment's file name ({@code <sequence>.log}), or -1 for another name. */
    static long sequenceOf(Path segment) {
        return numberOf(segment, SpoolJournal.SEGMENT);
    }

    /** The number in a journal file's name, {@code <number><suffix>}, or -1 for another name. */
    static long numberOf(Path file, String suffix) {
        String name = file.getFileName().toString();
        if (!name.endsWith(suffix)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, name.length() - suffix.length()));
        } catch (NumberFormatException foreign) {
            return -1;
        }
    }

    /** Offset of the payload from the record's start. */
    static int headerLength(QueueId id) {
        return FIXED_HEADER + id.value().length();
    }

    /**
     * The whole records of a segment, in order, up to the end or the first record that is torn or damaged.
     *
     * @param maxPayload longer payloads are taken as damage (no record can be longer than a segment)
     */
    static List<JournalRecord> readAll(Path segment, long maxPayload) throws IOException {
        List<JournalRecord> records = new ArrayList<>();
        long sequence = sequenceOf(segment);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(segment), 64 * 1024))) {
            long position = 0;
            while (true) {
                JournalRecord r = next(in, position, maxPayload, sequence);
                if (r == null) {
                    return records;
                }
                records.add(r);
                position = r.payloadStart + r.payloadLength + 4;
            }
        }
    }

    /** The record at {@code position}, or null at the end or at a torn or damaged record. */
    private static JournalRecord next(DataInputStream in, long position, long maxPayload, long sequence)
            throws IOException {
        byte[] fixed = new byte[FIXED_HEADER];
        try {
            in.readFully(fixed);
            ByteBuffer h = ByteBuffer.wrap(fixed);
            boolean current = startsWith(fixed, MAGIC);
            if (!current && !startsWith(fixed, MAGIC_V1)) {
                return null;
            }
            h.position(MAGIC.length);
            byte kind = h.get();
            int idLength = h.get() & 0xff;
            long length = h.getLong();
            if ((kind != COMMIT && kind != DONE) || idLength == 0 || idLength > MAX_ID || length < 0
                    || length > maxPayload) {
                return null;
            }
            byte[] name = new byte[idLength];
            in.readFully(name);
            CRC32C crc = new CRC32C();
            crc.update(fixed);
            crc.update(name);
            skipThroughChecksum(in, length, crc);
            if (current) {
                coverSequence(crc, sequence);
            }
            if (in.readInt() != (int) crc.getValue()) {
                return null;
            }
            String id = new String(name, StandardCharsets.US_ASCII);
            if (!QueueId.isValid(id)) {
                return null;
            }
            return new JournalRecord(kind, new QueueId(id), position + FIXED_HEADER + idLength, length);
        } catch (EOFException torn) {
            return null;
        }
    }

    private static boolean startsWith(byte[] header, byte[] magic) {
        for (int i = 0; i < magic.length; i++) {
            if (header[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static void skipThroughChecksum(InputStream in, long length, CRC32C crc) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException();
            }
            crc.update(buffer, 0, n);
            left -= n;
        }
    }
}
