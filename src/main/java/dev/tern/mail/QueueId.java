package dev.tern.mail;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The identity of one message in the queue, shown in the 250 reply, the {@code Received:} header and every
 * mail-log line. Time-ordered (so a listing sorts by arrival) and unique within and across restarts.
 * Only letters and digits, so it is safe as a file name.
 */
public record QueueId(String value) implements Comparable<QueueId> {

    private static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTVWXYZ"; // no I, O, U: unambiguous
    private static final AtomicLong SEQUENCE = new AtomicLong(new SecureRandom().nextInt(1 << 20));

    public QueueId {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a queue id: " + value);
        }
    }

    /** A new id: milliseconds since the epoch, then a per-process sequence number. */
    public static QueueId next() {
        StringBuilder id = new StringBuilder(16);
        appendBase(id, System.currentTimeMillis(), 9);
        appendBase(id, SEQUENCE.getAndIncrement() & 0xFFFFFFL, 5);
        return new QueueId(id.toString());
    }

    /**
     * When {@link #next} made this id, from its first nine characters; empty for an id in another form (a test's
     * fixed one), whose time would be nonsense.
     */
    public Optional<Instant> created() {
        if (value.length() != 14) {
            return Optional.empty();
        }
        long millis = 0;
        for (int i = 0; i < 9; i++) {
            int digit = ALPHABET.indexOf(value.charAt(i));
            if (digit < 0 || digit >= ALPHABET.length() - 1) {
                return Optional.empty();
            }
            millis = millis * (ALPHABET.length() - 1) + digit;
        }
        return Optional.of(Instant.ofEpochMilli(millis));
    }

    /**
     * Six to 32 digits and capital letters. Checked by hand, not by {@code String.matches}: every message makes
     * ids and reads them back, and a regular expression would be compiled for each.
     */
    public static boolean isValid(String value) {
        if (value == null || value.length() < 6 || value.length() > 32) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    private static void appendBase(StringBuilder out, long number, int digits) {
        char[] buf = new char[digits];
        int base = ALPHABET.length() - 1; // 32
        for (int i = digits - 1; i >= 0; i--) {
            buf[i] = ALPHABET.charAt((int) (number % base));
            number /= base;
        }
        out.append(buf);
    }

    @Override
    public int compareTo(QueueId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
