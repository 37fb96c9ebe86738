package dev.tern.dane;

import dev.tern.dns.TlsaRecord;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in the test for DANE checks: a root, intermediates and leaves with chosen names, keys and
 * dates, and the TLSA records that match them (computed here with the JDK's digests, independently of the code
 * under test).
 */
final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(5000);

    /** A certificate and its key pair. */
    record Issued(X509Certificate cert, KeyPair keys) {
        /** Issues a certificate signed by this one. */
        Issued issue(String cn, List<String> dnsNames, boolean ca, Instant from, Instant to) throws Exception {
            return make(X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()), keys, cn, dnsNames, ca, from, to, ecKeys());
        }

        Issued issue(String cn, List<String> dnsNames, boolean ca) throws Exception {
            return issue(cn, dnsNames, ca, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
        }
    }

    private TestCertificates() {
    }

    static Issued root(String cn) throws Exception {
        KeyPair keys = ecKeys();
        return make(new X500Name("CN=" + cn), keys, cn, List.of(), true, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)), keys);
    }

    private static Issued make(X500Name issuer, KeyPair issuerKeys, String cn, List<String> dnsNames, boolean ca,
            Instant from, Instant to, KeyPair subjectKeys) throws Exception {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), new X500Name("CN=" + cn),
                subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!dnsNames.isEmpty()) {
            GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        return new Issued(cert, subjectKeys);
    }

    static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** The TLSA record of this usage, selector and matching type for a certificate. */
    static TlsaRecord tlsa(int usage, int selector, int matchingType, X509Certificate cert) throws Exception {
        // Selector 1: the JDK's encoding of an EC key is the certificate's SubjectPublicKeyInfo byte for byte.
        byte[] selected = selector == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
        byte[] data = switch (matchingType) {
            case 0 -> selected;
            case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
            case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
            default -> throw new IllegalArgumentException("matching type " + matchingType);
        };
        return new TlsaRecord(usage, selector, matchingType, data);
    }

    static X509Certificate[] chain(Issued... certs) {
        X509Certificate[] out = new X509Certificate[certs.length];
        for (int i = 0; i < certs.length; i++) {
            out[i] = certs[i].cert();
        }
        return out;
    }
}
