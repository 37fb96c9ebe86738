package dev.tern.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (RFC 9106) in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} (unpadded standard Base64).
 *
 * <p>The default cost, {@link Cost#DEFAULT} (m=19456 KiB, t=2, p=1), is the OWASP Password Storage Cheat
 * Sheet's first Argon2id choice; with Bouncy Castle's Java implementation it takes roughly 50 to 100 ms on
 * one core of a current server, enough to slow a guesser and cheap enough for a login. {@link #verify}
 * reads the cost from the stored string, so hashes made with an older cost keep working;
 * {@link #needsRehash} tells when to store a new one.
 */
public final class PasswordHasher {

    /** Argon2id parameters: memory in KiB, passes, lanes (RFC 9106 §3.1). */
    public record Cost(int memoryKiB, int iterations, int parallelism) {

        public static final Cost DEFAULT = new Cost(19_456, 2, 1);

        public Cost {
            if (parallelism < 1 || parallelism > MAX_PARALLELISM || iterations < 1 || iterations > MAX_ITERATIONS
                    || memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
                throw new IllegalArgumentException("Argon2id cost out of range: " + memoryKiB + " KiB, "
                        + iterations + " passes, " + parallelism + " lanes");
            }
        }
    }

    // Caps on what a stored string may ask for: a corrupt or hostile file must not exhaust memory or time.
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 16;
    private static final int SALT_OCTETS = 16;
    private static final int HASH_OCTETS = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

    private final Cost cost;
    private final SecureRandom random = new SecureRandom();

    /** Hashes with {@link Cost#DEFAULT}. */
    public PasswordHasher() {
        this(Cost.DEFAULT);
    }

    public PasswordHasher(Cost cost) {
        this.cost = cost;
    }

    public Cost cost() {
        return cost;
    }

    /** A new PHC string for this password, with a fresh random salt. */
    public String hash(char[] password) {
        return hash(utf8(password));
    }

    /** A new PHC string for a password given as UTF-8 octets (as SASL PLAIN carries it, RFC 4616). */
    public String hash(byte[] password) {
        byte[] salt = new byte[SALT_OCTETS];
        random.nextBytes(salt);
        byte[] hash = argon2(password, salt, cost, HASH_OCTETS);
        return "$argon2id$v=19$m=" + cost.memoryKiB() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Whether the password matches; false for a malformed string. The comparison takes constant time. */
    public boolean verify(char[] password, String encoded) {
        return verify(utf8(password), encoded);
    }

    /** As {@link #verify(char[], String)}, for a password given as UTF-8 octets. */
    public boolean verify(byte[] password, String encoded) {
        Phc phc = Phc.parse(encoded);
        if (phc == null) {
            return false;
        }
        byte[] actual = argon2(password, phc.salt(), phc.cost(), phc.hash().length);
        return MessageDigest.isEqual(actual, phc.hash());
    }

    /** Whether a stored string was made with another cost than this hasher's (or is not ours at all). */
    public boolean needsRehash(String encoded) {
        Phc phc = Phc.parse(encoded);
        return phc == null || !phc.cost().equals(cost) || phc.salt().length < SALT_OCTETS
                || phc.hash().length != HASH_OCTETS;
    }

    private static byte[] argon2(byte[] password, byte[] salt, Cost cost, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKiB())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    /**
     * UTF-8 of the password after NFC normalization, as RFC 8265 §4.2 (OpaqueString) prescribes, so the same
     * password typed on two systems that compose accents differently still matches.
     */
    private static byte[] utf8(char[] password) {
        String normalized = Normalizer.normalize(CharBuffer.wrap(password), Normalizer.Form.NFC);
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(normalized);
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return out;
    }

    /** A parsed PHC string; null from {@link #parse} when anything is off. */
    private record Phc(Cost cost, byte[] salt, byte[] hash) {

        static Phc parse(String encoded) {
            if (encoded == null) {
                return null;
            }
            String[] parts = encoded.split("\\$", -1);
            // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
            if (parts.length != 6 || !parts[0].isEmpty() || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
                return null;
            }
            try {
                Cost cost = cost(parts[3]);
                byte[] salt = B64_DECODE.decode(parts[4]);
                byte[] hash = B64_DECODE.decode(parts[5]);
                if (cost == null || salt.length < 8 || salt.length > 64 || hash.length < 16 || hash.length > 64) {
                    return null;
                }
                return new Phc(cost, salt, hash);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private static Cost cost(String text) {
            String[] fields = text.split(",", -1);
            if (fields.length != 3 || !fields[0].startsWith("m=") || !fields[1].startsWith("t=")
                    || !fields[2].startsWith("p=")) {
                return null;
            }
            return new Cost(number(fields[0]), number(fields[1]), number(fields[2]));
        }

        private static int number(String field) {
            String digits = field.substring(2);
            if (!digits.matches("[1-9][0-9]{0,8}")) {
                throw new IllegalArgumentException("not a number");
            }
            return Integer.parseInt(digits);
        }
    }
}
