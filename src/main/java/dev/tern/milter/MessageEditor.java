package dev.tern.milter;

import dev.tern.mail.header.HeaderBlock;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Applies one milter's header changes and body replacement to a message, as a stream: the header (bounded) is
 * held, the body is copied through unless replaced. Changes apply in the order the milter sent them, each to
 * the header as the earlier ones left it, as Sendmail does.
 */
final class MessageEditor {

    private MessageEditor() {
    }

    /**
     * @param changes      the milter's header changes (others are ignored here)
     * @param body         the replacement body, or null to keep the body
     * @param leadingSpace whether the milter gives header values with their leading space (SMFIP_HDR_LEADSPC)
     */
    static void apply(List<Change> changes, byte[] body, boolean leadingSpace, InputStream current, OutputStream out)
            throws IOException {
        InputStream in = new BufferedInputStream(current, 64 * 1024);
        HeaderBlock header = HeaderBlock.read(in);
        List<byte[]> fields = MilterFields.of(header);
        for (Change change : changes) {
            switch (change) {
                case Change.AddHeader c -> fields.add(MilterFields.field(c.name(), c.value(), leadingSpace));
                case Change.InsertHeader c -> fields.add(Math.min(Math.max(c.index(), 0), fields.size()),
                        MilterFields.field(c.name(), c.value(), leadingSpace));
                case Change.ChangeHeader c -> change(fields, c, leadingSpace);
                default -> {
                    // envelope changes are the session's
                }
            }
        }
        for (byte[] field : fields) {
            out.write(field);
        }
        if (MilterFields.separated(header) || body != null) {
            out.write(new byte[] {'\r', '\n'});
        }
        if (body != null) {
            out.write(crlf(body));
        } else {
            in.transferTo(out);
        }
    }

    /**
     * The fields to put above the message when every change is SMFIR_INSHEADER at index 0 (or below, which
     * {@link #apply} takes as 0) and the body stays: each goes on top of the ones before it, so the last sent
     * comes first. Null when any change is of another kind, or lands lower: then the message is rewritten.
     */
    static byte[] topFields(List<Change> changes, byte[] body, boolean leadingSpace) throws MilterException {
        if (body != null || changes.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = changes.size() - 1; i >= 0; i--) {
            if (!(changes.get(i) instanceof Change.InsertHeader c) || c.index() > 0) {
                return null;
            }
            out.writeBytes(MilterFields.field(c.name(), c.value(), leadingSpace));
        }
        return out.toByteArray();
    }

    /** SMFIR_CHGHEADER: the index-th field of that name (from 1); empty value deletes; missing adds (Sendmail). */
    private static void change(List<byte[]> fields, Change.ChangeHeader c, boolean leadingSpace) throws MilterException {
        String wanted = c.name().toLowerCase(Locale.ROOT);
        int seen = 0;
        for (int i = 0; i < fields.size(); i++) {
            if (MilterFields.name(fields.get(i)).toLowerCase(Locale.ROOT).equals(wanted) && ++seen == Math.max(c.index(), 1)) {
                if (c.value().isEmpty()) {
                    fields.remove(i);
                } else {
                    fields.set(i, MilterFields.field(c.name(), c.value(), leadingSpace));
                }
                return;
            }
        }
        if (!c.value().isEmpty()) {
            fields.add(MilterFields.field(c.name(), c.value(), leadingSpace));
        }
    }

    /** Line ends made CRLF (invariant 4: what Tern stores and sends has no bare CR or LF). */
    static byte[] crlf(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < body.length && body[i + 1] == '\n') {
                    i++;
                }
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}
