package dev.tern.tls;

import dev.tern.io.AtomicFiles;
import dev.tern.io.PrivateFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate used when none is configured: EC P-256, self-signed for the host name, valid for a
 * year, kept in a directory so that it is made once and the same key is presented on every start
 * (peers that pin what they saw, as with TOFU, are not disturbed by each restart).
 */
final class SelfSigned {

    static final String CHAIN_FILE = "selfsigned-fullchain.pem";
    static final String KEY_FILE = "selfsigned-privkey.pem";
    static final Duration VALIDITY = Duration.ofDays(365);

    private static final Logger LOG = LoggerFactory.getLogger(SelfSigned.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private SelfSigned() {
    }

    /**
     * Makes sure {@code dir} holds a usable self-signed certificate for {@code hostname}: reuses the one
     * there if it loads, covers the host name and has not expired; otherwise makes a new one.
     *
     * @return the chain file; the key file is its sibling {@link #KEY_FILE}
     */
    static Path ensure(Path dir, String hostname) throws IOException {
        Path chain = dir.resolve(CHAIN_FILE);
        Path key = dir.resolve(KEY_FILE);
        if (Files.exists(chain) || Files.exists(key)) {
            String why = unusable(chain, key, hostname);
            if (why == null) {
                return chain;
            }
            LOG.warn("tls self-signed certificate in {} is replaced: {}", dir, why);
        }
        create(dir, chain, key, hostname);
        return chain;
    }

    private static String unusable(Path chain, Path key, String hostname) {
        try {
            CertifiedKey existing = PemLoader.load(chain, key);
            if (!existing.leaf().getNotAfter().toInstant().isAfter(Instant.now())) {
                return "expired";
            }
            if (!existing.matches(hostname)) {
                return "made for " + existing.names() + ", not " + hostname;
            }
            return null;
        } catch (TlsFileException e) {
            return e.getMessage();
        }
    }

    private static void create(Path dir, Path chain, Path key, String hostname) throws IOException {
        KeyPair pair;
        X509Certificate cert;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
            cert = certificate(pair, hostname, Instant.now());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make a self-signed certificate for " + hostname, e);
        }
        PrivateFiles.createDirectories(dir);
        // Key first: a crash between the two writes leaves a pair that does not match, which the next
        // start detects and replaces, never a certificate whose key is missing.
        AtomicFiles.write(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null))); // 0600 from creation
        AtomicFiles.write(chain, pem(cert));
        LOG.info("tls self-signed certificate created for {} in {}", hostname, dir);
    }

    static X509Certificate certificate(KeyPair pair, String hostname, Instant now)
            throws OperatorCreationException, GeneralSecurityException, IOException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
        BigInteger serial = new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(generalName(hostname)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static GeneralName generalName(String hostname) {
        boolean ip = hostname.indexOf(':') >= 0 || IPV4.matcher(hostname).matches();
        return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, hostname);
    }

    private static byte[] pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
