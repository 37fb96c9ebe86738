package dev.tern.policy.mailauth;

import dev.tern.config.DkimSettings;
import dev.tern.mail.Domain;
import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import dev.tern.policy.dkim.Canonicalization;
import dev.tern.policy.dkim.DkimKey;
import dev.tern.policy.dkim.DkimKeyStore;
import dev.tern.policy.dkim.DkimSigner;
import dev.tern.policy.dkim.RsaEngine;
import dev.tern.policy.dkim.SignOptions;
import dev.tern.policy.dmarc.AuthorDomain;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * DKIM-signs our users' mail (RFC 6376 §5) with the keys of its author's domain, so that it passes DMARC
 * (RFC 7489 §3.1.1: the signing domain must align with the RFC5322.From domain).
 *
 * <p>Which domain signs: the From domain when the sender may speak for it (a trusted network, or the From domain
 * is the domain of the envelope sender, which the sender policy already checked, or of the authenticated user);
 * otherwise the envelope sender's domain. So a user of one hosted domain cannot get mail signed by another
 * domain on the same server just by writing its name in From. A domain without keys is sent unsigned. The body
 * is read only when there is a key to sign with. Thread-safe.
 */
public final class OutboundSigner {

    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");

    private final DkimKeyStore keys;
    private final DkimSigner signer;

    public OutboundSigner(DkimKeyStore keys, DkimSigner signer) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /**
     * Signing as {@code [dkim]} configures it, with the keys under {@code <dataDir>/dkim}, RSA keys signing with
     * the engine of {@code crypto} ({@link #rsaEngine}).
     */
    public static OutboundSigner configured(DkimSettings settings, Path dataDir, Clock clock) {
        SignOptions options = SignOptions.defaults()
                .withCanonicalization(Canonicalization.valueOf(settings.headerCanonicalization().name()),
                        Canonicalization.valueOf(settings.bodyCanonicalization().name()))
                .withLifetime(settings.signatureLifetime());
        return new OutboundSigner(DkimKeyStore.inDataDirectory(dataDir, rsaEngine(settings)),
                new DkimSigner(clock, options));
    }

    /** What signs rsa-sha256 under these settings ({@code [dkim] crypto}). */
    public static RsaEngine rsaEngine(DkimSettings settings) {
        return RsaEngine.choose(RsaEngine.Choice.valueOf(settings.crypto().name()));
    }

    /**
     * Who is sending.
     *
     * @param envelopeDomain the MAIL FROM domain, or null for the null reverse-path
     * @param userDomain     the authenticated user's domain, or null
     * @param trusted        the client is in a trusted network: its From domain is taken as it is
     */
    public record Sender(String envelopeDomain, String userDomain, boolean trusted) {
    }

    /**
     * The signing domain and its DKIM-Signature fields.
     *
     * @param domain the signing domain ({@code d=}), or null when no domain could sign
     * @param fields whole fields ending in CRLF, to put above the message; empty when the domain has no key
     */
    public record Signed(String domain, List<String> fields) {
    }

    /**
     * Reads the message (header first; the body only when a key signs it) and signs it.
     *
     * @throws IOException when the message or a key file cannot be read
     */
    public Signed sign(InputStream message, Sender sender) throws IOException {
        InputStream in = new BufferedInputStream(message, 65536);
        return sign(HeaderBlock.read(in), in, sender);
    }

    /**
     * The same for a message whose header block the caller has read already ({@link HeaderBlock#read}, from the
     * message's first octet).
     *
     * @param header the header block, lines ending in CRLF
     * @param in     the message after its header block, buffered
     */
    public Signed sign(HeaderBlock header, InputStream in, Sender sender) throws IOException {
        String domain = signingDomain(header.as(HeaderBlock.LineEnds.LF).namedFields(), sender);
        if (domain == null) {
            return new Signed(null, List.of());
        }
        List<DkimKey> domainKeys = keys.keys(domain);
        if (domainKeys.isEmpty()) {
            return new Signed(domain, List.of());
        }
        return new Signed(domain, signer.sign(header.fields(), in, domainKeys));
    }

    static String signingDomain(List<HeaderField> fields, Sender sender) {
        String envelope = key(sender.envelopeDomain());
        if (AuthorDomain.of(fields) instanceof AuthorDomain.Found found) {
            String from = key(found.domain());
            if (from != null && (sender.trusted() || from.equals(envelope) || from.equals(key(sender.userDomain())))) {
                return from;
            }
        }
        return envelope;
    }

    /**
     * The comparable form: lower-case A-labels without a final dot; null for anything that is not a domain name
     * (an address literal, or text that could name another directory of the key store).
     */
    private static String key(String domain) {
        if (domain == null || domain.isEmpty()) {
            return null;
        }
        String key = Domain.of(domain).key();
        key = key.endsWith(".") ? key.substring(0, key.length() - 1) : key;
        return HOST_NAME.matcher(key).matches() ? key : null;
    }
}
