package dev.tern.tls;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A certificate chain (leaf first, then intermediates) with the private key of its leaf, as loaded from
 * one pair of PEM files. Immutable: a reload makes a new instance.
 */
public final class CertifiedKey {

    /** Below this much remaining validity a certificate is reported as expiring soon. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final List<String> names;
    private final Path chainFile;

    CertifiedKey(List<X509Certificate> chain, PrivateKey privateKey, Path chainFile) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
        this.names = HostNames.of(chain.get(0));
        this.chainFile = chainFile;
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Leaf first, then the intermediates, as sent to the peer. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The DNS names the leaf is for (SAN dNSName, else CN), lower case; may hold wildcards. */
    public List<String> names() {
        return names;
    }

    /** The file the chain came from, for logs. */
    public Path chainFile() {
        return chainFile;
    }

    /** The leaf's key algorithm as JSSE names key types: {@code RSA} or {@code EC}. */
    public String keyType() {
        return leaf().getPublicKey().getAlgorithm();
    }

    /** True when one of {@link #names()} covers {@code host} (wildcards per RFC 6125 section 6.4.3). */
    public boolean matches(String host) {
        for (String name : names) {
            if (HostNames.matches(name, host)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Problems worth a warning at {@code now} that do not stop the certificate being served: an expired
     * or not yet valid certificate still encrypts, and on port 25 peers rarely check it (RFC 7435).
     */
    public List<String> warnings(Instant now) {
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            String which = i == 0 ? "certificate" : "intermediate certificate " + i;
            Instant notAfter = cert.getNotAfter().toInstant();
            if (notAfter.isBefore(now)) {
                warnings.add(which + " expired on " + notAfter);
            } else if (i == 0 && notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
                warnings.add(which + " expires soon, on " + notAfter);
            }
            if (cert.getNotBefore().toInstant().isAfter(now)) {
                warnings.add(which + " is not valid before " + cert.getNotBefore().toInstant());
            }
            if (i + 1 < chain.size()
                    && !cert.getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())) {
                warnings.add("chain out of order: " + which + " is not issued by the next certificate in the file");
            }
        }
        return warnings;
    }

    /** One line for logs: names, expiry and SHA-256 fingerprint of the leaf. */
    public String describe() {
        return "names=" + names + " keyType=" + keyType() + " notAfter=" + leaf().getNotAfter().toInstant()
                + " sha256=" + fingerprint() + " file=" + chainFile;
    }

    /** The SHA-256 of the leaf's DER encoding, in hex. */
    public String fingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf().getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a parsed certificate", e);
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
