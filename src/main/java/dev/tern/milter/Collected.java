package dev.tern.milter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The modifications one milter sends before its final reply at the end of a message (SMFIR_ADDHEADER,
 * INSHEADER, CHGHEADER, CHGFROM, ADDRCPT, ADDRCPT_PAR, DELRCPT, REPLBODY, QUARANTINE), parsed strictly:
 * a malformed one is the milter misbehaving.
 */
final class Collected implements Milter.Changes {

    final List<Change> header = new ArrayList<>();
    final List<Change> envelope = new ArrayList<>();
    /** The replacement body as received (SMFIR_REPLBODY packets in order), or null. */
    ByteArrayOutputStream body;
    String quarantine;
    private final long maxBody;

    /** @param maxBody the largest replacement body taken (the message size limit) */
    Collected(long maxBody) {
        this.maxBody = maxBody;
    }

    @Override
    public boolean take(MilterConnection.Packet p) throws MilterException {
        byte[] d = p.data();
        switch (p.code()) {
            case MilterProtocol.ADDHEADER -> {
                List<String> s = strings(d, 0, 2, 2);
                header.add(new Change.AddHeader(s.get(0), s.get(1)));
            }
            case MilterProtocol.INSHEADER, MilterProtocol.CHGHEADER -> {
                if (d.length < 4) {
                    throw new MilterException("sent a header change without an index");
                }
                int index = ByteBuffer.wrap(d).getInt();
                List<String> s = strings(d, 4, 2, 2);
                header.add(p.code() == MilterProtocol.INSHEADER ? new Change.InsertHeader(index, s.get(0), s.get(1))
                        : new Change.ChangeHeader(index, s.get(0), s.get(1)));
            }
            case MilterProtocol.CHGFROM -> {
                List<String> s = strings(d, 0, 1, 2);
                envelope.add(new Change.ChangeSender(s.get(0), args(s)));
            }
            case MilterProtocol.ADDRCPT, MilterProtocol.ADDRCPT_PAR -> {
                List<String> s = strings(d, 0, 1, p.code() == MilterProtocol.ADDRCPT ? 1 : 2);
                envelope.add(new Change.AddRecipient(s.get(0), args(s)));
            }
            case MilterProtocol.DELRCPT -> envelope.add(new Change.DeleteRecipient(strings(d, 0, 1, 1).get(0)));
            case MilterProtocol.QUARANTINE -> quarantine = strings(d, 0, 1, 1).get(0);
            case MilterProtocol.REPLBODY -> {
                if (body == null) {
                    body = new ByteArrayOutputStream();
                }
                if (body.size() + (long) d.length > maxBody) {
                    throw new MilterException("sent a replacement body larger than " + maxBody + " octets");
                }
                body.writeBytes(d);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    boolean changesContent() {
        return !header.isEmpty() || body != null;
    }

    private static List<String> args(List<String> s) {
        return s.size() < 2 || s.get(1).isBlank() ? List.of() : Arrays.asList(s.get(1).trim().split(" +"));
    }

    /** {@code min} to {@code max} NUL-terminated strings filling {@code data} from {@code from}. */
    static List<String> strings(byte[] data, int from, int min, int max) throws MilterException {
        List<String> out = new ArrayList<>();
        int start = from;
        for (int i = from; i < data.length; i++) {
            if (data[i] == 0) {
                out.add(new String(data, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start != data.length || out.size() < min || out.size() > max) {
            throw new MilterException("sent a malformed modification (" + out.size() + " strings, "
                    + (data.length - start) + " octets unterminated)");
        }
        return out;
    }
}
