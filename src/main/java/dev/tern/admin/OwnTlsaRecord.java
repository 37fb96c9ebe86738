package dev.tern.admin;

import dev.tern.config.SecuritySettings;
import dev.tern.config.TernConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The DANE side of {@code tern dns}: the TLSA record that lets senders authenticate this host's certificate
 * (RFC 7672 §3.1.1), {@code 3 1 1}, the SHA-256 of the server certificate's public key. Printed only: it belongs in
 * a DNSSEC-signed zone, which is the operator's choice, so its absence is no finding.
 */
final class OwnTlsaRecord {

    /** The name of the self-signed certificate file {@code tern serve} makes under {@code <data>/tls}. */
    private static final String SELF_SIGNED_CHAIN = "selfsigned-fullchain.pem";

    private OwnTlsaRecord() {
    }

    /** The comment and the record, or a comment saying why there is none. */
    static List<String> lines(TernConfig config) {
        String host = DnsRecords.bare(config.hostname());
        Path chain = certificate(config);
        List<String> lines = new ArrayList<>();
        lines.add("; DANE (RFC 7672) for mail sent to " + host + ": publish only in a DNSSEC-signed zone, and keep the");
        lines.add("; key across certificate renewals (certbot --reuse-key), or publish the next key's record first:");
        if (chain == null) {
            lines.add("; (no certificate found yet: start tern serve once, or set [tls] certificates)");
            return lines;
        }
        try {
            lines.add("_25._tcp." + host + ". IN TLSA 3 1 1 " + spkiSha256(chain));
        } catch (IOException | GeneralSecurityException e) {
            lines.add("; (" + chain + ": " + e.getMessage() + ")");
        }
        return lines;
    }

    /** The first configured certificate, else the self-signed one the server made. */
    private static Path certificate(TernConfig config) {
        for (SecuritySettings.CertificateFiles files : config.security().certificates()) {
            return files.fullchain();
        }
        Path selfSigned = config.dataDir().resolve("tls").resolve(SELF_SIGNED_CHAIN);
        return Files.isReadable(selfSigned) ? selfSigned : null;
    }

    /** RFC 6698 §2.1: selector 1 (SubjectPublicKeyInfo), matching type 1 (SHA-256), of the chain's first certificate. */
    static String spkiSha256(Path chain) throws IOException, GeneralSecurityException {
        X509Certificate leaf;
        try (InputStream in = Files.newInputStream(chain)) {
            leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getPublicKey().getEncoded()));
    }
}
