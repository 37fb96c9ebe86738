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
 * The envelope is only known when the session commits, after the content was streamed to disk, so it goes
 * last; one file means one fsync per message. The footer is read from the end of the file.
 */
final class SpoolFormat {

    static final int FOOTER_LENGTH = 40;
    private static final String MAGIC = "\nTERN-SPOOL 1 ";

    private SpoolFormat() {
    }

    /** The bytes to append after the content: envelope, then footer. */
    static byte[] trailer(byte[] envelope) {
        CRC32 crc = new CRC32();
        crc.update(envelope);
        String footer = MAGIC + String.format(Locale.ROOT, "%016x %08x\n", envelope.length, crc.getValue());
        byte[] f = footer.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(envelope, envelope.length + f.length);
        System.arraycopy(f, 0, out, envelope.length, f.length);
        return out;
    }

    /** What the trailer says: how long the content is, and the envelope's bytes. */
    record Layout(long contentLength, byte[] envelope) {
    }

    static Layout read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < FOOTER_LENGTH) {
                throw new CorruptSpoolException("spool file too short: " + file.getFileName(), null);
            }
            String footer = new String(readFully(ch, size - FOOTER_LENGTH, FOOTER_LENGTH), StandardCharsets.US_ASCII);
            if (!footer.startsWith(MAGIC) || footer.charAt(FOOTER_LENGTH - 1) != '\n') {
                throw new CorruptSpoolException("spool file without a valid footer: " + file.getFileName(), null);
            }
            long envelopeLength = parseHex(footer.substring(MAGIC.length(), MAGIC.length() + 16));
            long crcValue = parseHex(footer.substring(MAGIC.length() + 17, MAGIC.length() + 25));
            long contentLength = size - FOOTER_LENGTH - envelopeLength;
            if (envelopeLength > Integer.MAX_VALUE || contentLength < 0) {
                throw new CorruptSpoolException("spool file footer out of range: " + file.getFileName(), null);
            }
            byte[] envelope = readFully(ch, contentLength, (int) envelopeLength);
            CRC32 crc = new CRC32();
            crc.update(envelope);
            if (crc.getValue() != crcValue) {
                throw new CorruptSpoolException("spool envelope checksum mismatch: " + file.getFileName(), null);
            }
            return new Layout(contentLength, envelope);
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
