package dev.tern.smtp.server;

import dev.tern.mail.header.HeaderField;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RFC 6409 §8.2-8.3: a submission server may add {@code Date:} and {@code Message-ID:} when the user's client
 * left them out. This filter sits between the DATA reader and the spool, watches the header block go by and
 * inserts what is missing just before the empty line that ends it (or at the end of a body-less message).
 * Header lines are held only one at a time, and at most {@link #MAX_HELD} octets of one.
 */
final class SubmissionFixups extends OutputStream {

    static final int MAX_HELD = 8192;
    private static final int NAME_SCAN = 100;

    private final OutputStream out;
    private final String date;
    private final String messageId;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    private boolean inHeaders = true;
    private boolean lineOverflow;
    private boolean sawDate;
    private boolean sawMessageId;

    /**
     * @param date      the Date value to add (RFC 5322 §3.3 format)
     * @param messageId the Message-ID value to add, with angle brackets
     */
    SubmissionFixups(OutputStream out, String date, String messageId) {
        this.out = out;
        this.date = date;
        this.messageId = messageId;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        int i = offset;
        while (i < end && inHeaders) {
            byte b = bytes[i++];
            if (!lineOverflow) {
                line.write(b);
            } else {
                out.write(b);
            }
            if (line.size() >= MAX_HELD && !lineOverflow) {
                inspectName();
                line.writeTo(out);
                line.reset();
                lineOverflow = true;
            }
            if (b == '\n') {
                endOfLine();
            }
        }
        if (i < end) {
            out.write(bytes, i, end - i);
        }
    }

    private void endOfLine() throws IOException {
        if (lineOverflow) {
            lineOverflow = false;
            return;
        }
        byte[] held = line.toByteArray();
        line.reset();
        if (held.length == 2 && held[0] == '\r') {
            addMissing();
            inHeaders = false;
        } else {
            inspect(held);
        }
        out.write(held);
    }

    private void inspectName() {
        inspect(line.toByteArray());
    }

    /**
     * A field name starts at the first column (continuation lines start with white space); the held line is read
     * as {@code mail.header} reads a field. The name counts with white space and control characters around it
     * ignored, when its colon comes within the first {@link #NAME_SCAN} octets.
     */
    private void inspect(byte[] held) {
        if (held.length == 0 || held[0] == ' ' || held[0] == '\t') {
            return;
        }
        HeaderField field = HeaderField.of(held);
        if (field.colonIndex() > 0 && field.colonIndex() < NAME_SCAN) {
            String name = field.name().trim();
            sawDate |= name.equalsIgnoreCase("date");
            sawMessageId |= name.equalsIgnoreCase("message-id");
        }
    }

    private void addMissing() throws IOException {
        if (!sawDate) {
            out.write(("Date: " + date + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        if (!sawMessageId) {
            out.write(("Message-ID: " + messageId + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        sawDate = true;
        sawMessageId = true;
    }

    /** Ends the content: a message that was all header gets its missing fields at the end. */
    void finish() throws IOException {
        if (inHeaders) {
            byte[] held = line.toByteArray();
            line.reset();
            out.write(held);
            if (held.length > 0) {
                out.write(new byte[] {'\r', '\n'});
            }
            addMissing();
            inHeaders = false;
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
