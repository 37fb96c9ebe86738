package dev.tern.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The delivery state file: UTF-8 text, a version line, then one line per recipient in envelope order.
 *
 * <pre>
 * tern-state 1
 * rcpt 0 DELIVERED 1 - 2.0.0 localhost/bob/new/1700000000.M1P2Q3.host,S=120
 * rcpt 1 DEFERRED 2 2025-01-02T03:14:05Z 4.3.0 mailbox%20unavailable
 * warned 2025-01-02T07:00:00Z                   (only once a delay warning was sent)
 * </pre>
 */
final class StateCodec {

    private static final String HEADER = "tern-state 1";

    private StateCodec() {
    }

    static byte[] encode(DeliveryState state) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        List<RecipientState> rs = state.recipients();
        for (int i = 0; i < rs.size(); i++) {
            RecipientState r = rs.get(i);
            out.append("rcpt ").append(i).append(' ').append(r.status().name()).append(' ').append(r.attempts())
                    .append(' ').append(r.nextAttempt() == null ? TextValues.NULL : r.nextAttempt().toString())
                    .append(' ').append(TextValues.escape(r.code()))
                    .append(' ').append(TextValues.escape(r.detail())).append('\n');
        }
        if (state.delayWarned() != null) {
            out.append("warned ").append(state.delayWarned()).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static DeliveryState decode(byte[] data) throws IOException {
        String[] lines = new String(data, StandardCharsets.UTF_8).split("\n", -1);
        if (!lines[0].equals(HEADER) || !lines[lines.length - 1].isEmpty()) {
            throw new IOException("not a version 1 state file");
        }
        List<RecipientState> states = new ArrayList<>();
        int end = lines.length - 1;
        Instant warned = null;
        if (end > 1 && lines[end - 1].startsWith("warned ")) {
            end--;
            try {
                warned = Instant.parse(lines[end].substring(7));
            } catch (DateTimeParseException e) {
                throw new IOException("bad warned line", e);
            }
        }
        for (int i = 1; i < end; i++) {
            String[] t = TextValues.tokens(lines[i]);
            if (t.length != 7 || !t[0].equals("rcpt") || !t[1].equals(Integer.toString(i - 1))) {
                throw new IOException("bad state line " + i);
            }
            states.add(recipient(t));
        }
        return new DeliveryState(states, warned);
    }

    private static RecipientState recipient(String[] t) throws IOException {
        try {
            String next = TextValues.unescape(t[4]);
            return new RecipientState(RecipientState.Status.valueOf(t[2]), Integer.parseInt(t[3]),
                    next == null ? null : Instant.parse(next), TextValues.unescape(t[5]), TextValues.unescape(t[6]));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException("bad state value: " + e.getMessage(), e);
        }
    }
}
