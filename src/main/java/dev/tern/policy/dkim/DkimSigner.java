package dev.tern.policy.dkim;

import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Signs a message (RFC 6376 §5) with one or more keys, typically an RSA and an Ed25519 key of one domain (RFC 8463
 * §1 suggests both while verifiers learn Ed25519). The message is read once: the header block into memory, the body
 * streamed through the body hash. Never writes {@code l=} (§8.2: it lets anyone append content).
 */
public final class DkimSigner {

    private final Clock clock;
    private final SignOptions options;

    public DkimSigner(Clock clock, SignOptions options) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The default options and the system clock. */
    public static DkimSigner standard() {
        return new DkimSigner(Clock.systemUTC(), SignOptions.defaults());
    }

    /**
     * The DKIM-Signature fields to put above the message, one per key in the order of {@code keys}; each string
     * is a whole folded field ending in CRLF. The message is octets with CRLF line ends.
     */
    public List<String> sign(InputStream message, List<DkimKey> keys) throws IOException {
        if (keys.isEmpty()) {
            return List.of();
        }
        InputStream in = new BufferedInputStream(message, 65536);
        return sign(HeaderBlock.read(in).fields(), in, keys);
    }

    /**
     * The same for a message whose header block the caller has read already ({@link HeaderBlock#read}):
     * {@code rest} is the rest of the message, from the first octet after the empty line.
     */
    public List<String> sign(List<HeaderField> fields, InputStream rest, List<DkimKey> keys) throws IOException {
        if (keys.isEmpty()) {
            return List.of();
        }
        InputStream in = rest;
        BodyHasher body = new BodyHasher(options.bodyCanon(), -1);
        byte[] buffer = new byte[65536];
        for (int n; (n = in.read(buffer)) != -1; ) {
            body.update(buffer, 0, n);
        }
        String bodyHash = Base64.getEncoder().encodeToString(body.hash());
        List<String> names = options.headers().signedNames(fields);
        List<String> out = new ArrayList<>(keys.size());
        for (DkimKey key : keys) {
            out.add(signOne(fields, names, bodyHash, key));
        }
        return out;
    }

    private String signOne(List<HeaderField> fields, List<String> names, String bodyHash, DkimKey key) {
        SignatureFolder folder = SignatureFolder.of(tokens(names, bodyHash, key));
        byte[] data = HeaderHash.data(fields, names, options.headerCanon(), HeaderField.of(folder.text()));
        try {
            byte[] signature = key.algorithm().sign(key.key(), data);
            return folder.withValue(Base64.getEncoder().encodeToString(signature)) + "\r\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + key + ": " + e.getMessage(), e);
        }
    }

    /** The tags in dkimpy's order (v a c d i q s t x h bh b), which is also the order of RFC 8463's example. */
    private List<String> tokens(List<String> names, String bodyHash, DkimKey key) {
        long now = clock.instant().getEpochSecond();
        List<String> tokens = new ArrayList<>();
        tokens.add("v=1;");
        tokens.add("a=" + key.algorithm().tagValue() + ";");
        tokens.add("c=" + options.headerCanon().tagValue() + "/" + options.bodyCanon().tagValue() + ";");
        tokens.add("d=" + key.domain() + ";");
        if (options.withIdentity()) {
            tokens.add("i=@" + key.domain() + ";");
        }
        tokens.add("q=dns/txt;");
        tokens.add("s=" + key.selector() + ";");
        tokens.add("t=" + now + ";");
        if (!options.lifetime().isZero()) {
            tokens.add("x=" + (now + Math.max(1, options.lifetime().toSeconds())) + ";");
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            boolean last = i == names.size() - 1;
            tokens.add((i == 0 ? "h=" : "") + name + (last ? ";" : ""));
            if (!last) {
                tokens.add(":");
            }
        }
        tokens.add("bh=" + bodyHash + ";");
        tokens.add("b=");
        return tokens;
    }
}
