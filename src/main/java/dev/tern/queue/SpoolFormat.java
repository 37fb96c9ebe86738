package dev.tern.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * One spool file holds a whole message: the content as received, then the envelope ({@link EnvelopeCodec}),
 * then a fixed 40-byte footer naming the envelope's length and CRC-32:
 *
 * <pre>
 * [content][envelope text]\nTERN-SPOOL 1 0000000000000123 89abcdef\n
 * </pre>
 *
 * A message the session added header fields to, cut forged fields from, or sent to a folder has version 2: the
 * {@link SpoolExtras} block goes before the envelope, and the footer's length and checksum cover both:
 *
 * <pre>
 * [content][extras][envelope text]\nTERN-SPOOL 2 0000000000000456 01234567\n
 * </pre>
 *
 * A message without extras is still written as version 1, so older files and the common case are unchanged.
 * The envelope is only known when the session commits, after the content was streamed to disk, so it goes
 * last; one file means one fsync per message. The footer is read from the end of the file.
 */
final class SpoolFormat {

    static final int FOOTER_LENGTH = 40;
    private static final String MAGIC = "\nTERN-SPOOL 1 ";
    private static final String MAGIC_2 = "\nTERN-SPOOL 2 ";

    private SpoolFormat() {
    }

    /** The bytes to append after the content: envelope, then footer. */
    static byte[] trailer(byte[] envelope) {
        return trailer(envelope, SpoolExtras.NONE);
    }

    /** The bytes to append after the content: extras (version 2 only), envelope, then footer. */
    static byte[] trailer(byte[] envelope, SpoolExtras extras) {
        byte[] meta = envelope;
        String magic = MAGIC;
        if (!extras.isEmpty()) {
            byte[] head = extras.encode();
            meta = Arrays.copyOf(head, head.length + envelope.length);
            System.arraycopy(envelope, 0, meta, head.length, envelope.length);
            magic = MAGIC_2;
        }
        CRC32 crc = new CRC32();
        crc.update(meta);
        String footer = magic + String.format(Locale.ROOT, "%016x %08x\n", meta.length, crc.getValue());
        byte[] f = footer.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(meta, meta.length + f.length);
        System.arraycopy(f, 0, out, meta.length, f.length);
        return out;
    }

    /** What the trailer says: how long the content is, the envelope's bytes, and the extras (or none). */
    record Layout(long contentLength, byte[] envelope, SpoolExtras extras) {
    }

    static Layout read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, 0, ch.size(), file.getFileName().toString());
        }
    }

    /**
     * Reads the trailer of the message stored in {@code size} octets from {@code start} of {@code ch} (a whole
     * spool file, or one record's payload in a journal segment); {@code name} names it in errors.
     */
    static Layout read(FileChannel ch, long start, long size, String name) throws IOException {
        if (size < FOOTER_LENGTH) {
            throw new CorruptSpoolException("spool file too short: " + name, null);
        }
        String footer = new String(readFully(ch, start + size - FOOTER_LENGTH, FOOTER_LENGTH), StandardCharsets.US_ASCII);
        boolean extended = footer.startsWith(MAGIC_2);
        if (!(extended || footer.startsWith(MAGIC)) || footer.charAt(FOOTER_LENGTH - 1) != '\n') {
            throw new CorruptSpoolException("spool file without a valid footer: " + name, null);
        }
        long envelopeLength = parseHex(footer.substring(MAGIC.length(), MAGIC.length() + 16));
        long crcValue = parseHex(footer.substring(MAGIC.length() + 17, MAGIC.length() + 25));
        long contentLength = size - FOOTER_LENGTH - envelopeLength;
        if (envelopeLength > Integer.MAX_VALUE || contentLength < 0) {
            throw new CorruptSpoolException("spool file footer out of range: " + name, null);
        }
        byte[] meta = readFully(ch, start + contentLength, (int) envelopeLength);
        CRC32 crc = new CRC32();
        crc.update(meta);
        if (crc.getValue() != crcValue) {
            throw new CorruptSpoolException("spool envelope checksum mismatch: " + name, null);
        }
        if (!extended) {
            return new Layout(contentLength, meta, SpoolExtras.NONE);
        }
        try {
            SpoolExtras.Decoded decoded = SpoolExtras.decode(meta, contentLength);
            return new Layout(contentLength, Arrays.copyOfRange(meta, decoded.envelopeStart(), meta.length),
                    decoded.extras());
        } catch (IOException e) {
            throw new CorruptSpoolException("unreadable extras in " + name + ": " + e.getMessage(), e);
        }
    }

    private static long parseHex(String hex) throws IOException {
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new CorruptSpoolException("bad number in spool footer", e);
        }
    }

    private static byte[] readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (ch.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of spool file");
            }
        }
        return buffer.array();
    }
}
