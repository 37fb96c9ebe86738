package dev.tern.srs;

import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Rewrites an envelope sender for forwarding and reverses the rewriting, in the "guarded" scheme of libsrs2
 * that postsrsd uses, byte for byte, so that either can verify what the other wrote with the same secret:
 * <pre>
 * user@orig.example               → SRS0=HHHH=TT=orig.example=user@ours.example
 * SRS0=HHHH=TT=orig=user@first    → SRS1=GGGG=first==HHHH=TT=orig=user@ours.example
 * SRS1=GGGG=first==...@other      → SRS1=KKKK=first==...@ours.example   (first hop kept, hash ours)
 * </pre>
 * {@code TT} is the day (Unix time / 86400) modulo 1024 in two base32 characters; {@code HHHH} the first four
 * base64 characters of HMAC-SHA1 under the first secret over the lower-cased fields (timestamp, domain, local
 * part for SRS0; first hop and the rest for SRS1). Reversal compares hashes case-insensitively (some
 * forwarders lower-case local parts), tries every secret, and for SRS0 refuses a timestamp older than
 * {@code maxAgeDays}; an SRS1 address reverses to the SRS0 address at its first hop, which checks its own.
 */
public final class Srs {

    /** The hash length postsrsd writes and accepts by default ({@code -n 4}, {@code -N 4}). */
    public static final int HASH_LENGTH = 4;
    /** postsrsd's and libsrs2's default {@code maxage}, in days. */
    public static final int DEFAULT_MAX_AGE_DAYS = 21;

    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final int TIME_SLOTS = 1024;
    private static final long DAY_SECONDS = 86_400;
    private static final String SEPARATORS = "=+-";

    private final List<byte[]> secrets;
    private final Domain domain;
    private final int maxAgeDays;
    private final Clock clock;

    /**
     * @param secrets    the secrets, the first signs (each at least one character)
     * @param domain     the domain of the rewritten addresses: bounces to it must reach this server
     * @param maxAgeDays how many days an SRS0 address verifies after it was written
     */
    public Srs(List<String> secrets, Domain domain, int maxAgeDays, Clock clock) {
        if (secrets.isEmpty() || secrets.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("SRS needs at least one non-empty secret");
        }
        if (maxAgeDays < 1 || maxAgeDays >= TIME_SLOTS) {
            throw new IllegalArgumentException("maxAgeDays must be 1 to " + (TIME_SLOTS - 1));
        }
        this.secrets = secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        this.domain = domain;
        this.maxAgeDays = maxAgeDays;
        this.clock = clock;
    }

    /** The domain rewritten addresses are in. */
    public Domain domain() {
        return domain;
    }

    /** Whether {@code address} has the shape of an SRS address ({@code SRS0=} or {@code SRS1=}, any case). */
    public static boolean isSrs(Address address) {
        if (address == null || address.isNull()) {
            return false;
        }
        String local = address.unquotedLocalPart();
        return local.length() > 5 && local.regionMatches(true, 0, "SRS", 0, 3)
                && (local.charAt(3) == '0' || local.charAt(3) == '1') && SEPARATORS.indexOf(local.charAt(4)) >= 0;
    }

    /**
     * The sender rewritten into our domain for a forwarded copy. The caller decides whether to rewrite at all
     * (never the null sender, nor a sender of ours, whom SPF already allows here).
     */
    public Address forward(Address sender) {
        if (sender.isNull()) {
            throw new IllegalArgumentException("the null sender is never rewritten");
        }
        String local = sender.unquotedLocalPart();
        String host = sender.domain().name();
        if (isSrs(sender) && local.charAt(3) == '1') {
            // Another forwarder's SRS1: keep its first hop and opaque part, sign them with our secret.
            String rest = local.substring(5);
            int hostEnd = rest.indexOf('=');
            int userStart = hostEnd < 0 ? -1 : rest.indexOf('=', hostEnd + 1);
            if (hostEnd > 0 && userStart > hostEnd + 1) {
                String firstHost = rest.substring(hostEnd + 1, userStart);
                String opaque = rest.substring(userStart + 1);
                return srs1(firstHost, opaque);
            }
        } else if (isSrs(sender)) {
            return srs1(host, local.substring(4)); // an SRS0 of another forwarder: "=HHHH=TT=..." kept whole
        }
        String stamp = timestamp(clock.instant().getEpochSecond());
        String hash = hash(secrets.get(0), stamp, host, local);
        return new Address("SRS0=" + hash + "=" + stamp + "=" + host + "=" + local, domain);
    }

    private Address srs1(String firstHost, String opaque) {
        return new Address("SRS1=" + hash(secrets.get(0), firstHost, opaque) + "=" + firstHost + "=" + opaque,
                domain);
    }

    /** What reversing an address gave. */
    public sealed interface Reversal {
    }

    /** Not an SRS address: deliver it as any other. */
    public record NotSrs() implements Reversal {
    }

    /** A valid SRS address, and where mail to it goes. */
    public record Valid(Address original) implements Reversal {
    }

    /** An SRS address that does not verify: forged, expired or malformed, said in {@code reason}. */
    public record Invalid(String reason) implements Reversal {
    }

    /**
     * Reverses an SRS address: the original sender for SRS0, the SRS0 address at its first hop for SRS1.
     *
     * @param checkAge whether an old SRS0 timestamp is refused (at RCPT; a notice queued here for an address
     *                 that verified when it arrived is not refused later for its age)
     */
    public Reversal reverse(Address address, boolean checkAge) {
        if (!isSrs(address)) {
            return new NotSrs();
        }
        String local = address.unquotedLocalPart();
        String rest = local.substring(5);
        return local.charAt(3) == '1' ? reverseSrs1(rest) : reverseSrs0(rest, checkAge);
    }

    private Reversal reverseSrs0(String rest, boolean checkAge) {
        String[] parts = rest.split("=", 4);
        if (parts.length != 4 || parts[0].isEmpty() || parts[1].length() != 2 || parts[2].isEmpty()
                || parts[3].isEmpty()) {
            return new Invalid("malformed SRS0 address");
        }
        Integer then = decodeTimestamp(parts[1]);
        if (then == null) {
            return new Invalid("malformed SRS0 timestamp");
        }
        if (!verifies(parts[0], parts[1], parts[2], parts[3])) {
            return new Invalid("SRS hash does not verify");
        }
        if (checkAge && expired(then)) {
            return new Invalid("SRS address expired");
        }
        return original(parts[3], parts[2]);
    }

    private Reversal reverseSrs1(String rest) {
        String[] parts = rest.split("=", 3);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].length() < 2) {
            return new Invalid("malformed SRS1 address");
        }
        if (!verifies(parts[0], parts[1], parts[2])) {
            return new Invalid("SRS hash does not verify");
        }
        return original("SRS0" + parts[2], parts[1]);
    }

    private static Reversal original(String local, String host) {
        try {
            return new Valid(Address.parseMailbox(local + "@" + host, true));
        } catch (dev.tern.mail.AddressException e) {
            return new Invalid("the address inside is not a mailbox: " + e.getMessage());
        }
    }

    /** libsrs2's check: a hash of at least {@link #HASH_LENGTH} characters, compared up to that length. */
    private boolean verifies(String hash, String... fields) {
        if (hash.length() < HASH_LENGTH) {
            return false;
        }
        String given = hash.substring(0, HASH_LENGTH);
        for (byte[] secret : secrets) {
            if (given.equalsIgnoreCase(hash(secret, fields))) {
                return true;
            }
        }
        return false;
    }

    private boolean expired(int then) {
        long now = Math.floorDiv(clock.instant().getEpochSecond(), DAY_SECONDS) % TIME_SLOTS;
        while (now < then) {
            now += TIME_SLOTS;
        }
        return now > then + maxAgeDays;
    }

    /** The day number modulo 1024 in two base32 characters, high five bits first. */
    static String timestamp(long epochSeconds) {
        int day = (int) (Math.floorDiv(epochSeconds, DAY_SECONDS) % TIME_SLOTS);
        return "" + BASE32.charAt(day >> 5) + BASE32.charAt(day & 31);
    }

    private static Integer decodeTimestamp(String stamp) {
        int value = 0;
        for (char c : stamp.toCharArray()) {
            int digit = BASE32.indexOf(Character.toUpperCase(c));
            if (digit < 0) {
                return null;
            }
            value = (value << 5) | digit;
        }
        return value;
    }

    /** HMAC-SHA1 over the lower-cased fields, the first {@link #HASH_LENGTH} base64 characters of it. */
    private static String hash(byte[] secret, String... fields) {
        Mac mac;
        try {
            mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
        for (String field : fields) {
            mac.update(lowerAscii(field).getBytes(StandardCharsets.UTF_8));
        }
        byte[] digest = mac.doFinal();
        StringBuilder out = new StringBuilder(HASH_LENGTH);
        int bits = 0;
        int buffer = 0;
        for (int i = 0; out.length() < HASH_LENGTH; i++) {
            buffer = (buffer << 8) | (digest[i] & 0xff);
            bits += 8;
            while (bits >= 6 && out.length() < HASH_LENGTH) {
                bits -= 6;
                out.append(BASE64.charAt((buffer >> bits) & 63));
            }
        }
        return out.toString();
    }

    /** libsrs2 lower-cases with C's {@code tolower} in the C locale: ASCII letters only. */
    private static String lowerAscii(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "Srs[" + domain.key().toLowerCase(Locale.ROOT) + ", max age " + maxAgeDays + "d]";
    }
}
