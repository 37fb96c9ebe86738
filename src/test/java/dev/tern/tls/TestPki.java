package dev.tern.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throw-away certificate authority for tests: issues RSA and EC leaf certificates and writes PEM files. Public
 * for the integration tests elsewhere that give a certificate to a real server (Postfix as the far side).
 */
public final class TestPki {

    public enum KeyForm { PKCS8, LEGACY, ENCRYPTED } // LEGACY: PKCS#1 for RSA, SEC1 for EC

    public record Issued(X509Certificate cert, KeyPair keys, X509Certificate ca) {
    }

    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private final KeyPair caKeys;
    private final X509Certificate caCert;

    public TestPki() throws Exception {
        caKeys = ecKeys();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=Tern Test CA");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name, caKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        caCert = sign(builder);
    }

    public X509Certificate ca() {
        return caCert;
    }

    public Issued issue(String cn, List<String> dnsNames, boolean rsa) throws Exception {
        Instant now = Instant.now();
        return issue(cn, dnsNames, rsa, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
    }

    Issued issue(String cn, List<String> dnsNames, boolean rsa, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair keys = rsa ? rsaKeys() : ecKeys();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Tern Test CA"), serial(),
                Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + cn), keys.getPublic());
        if (!dnsNames.isEmpty()) {
            GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        return new Issued(sign(builder), keys, caCert);
    }

    /** Writes {@code fullchain.pem} (leaf then CA, as certbot does with its intermediate) and {@code privkey.pem}. */
    public static void write(Issued issued, KeyForm form, Path chainFile, Path keyFile) throws IOException {
        Files.writeString(chainFile, pem(issued.cert()) + pem(issued.ca()), StandardCharsets.US_ASCII);
        Files.writeString(keyFile, keyPem(issued.keys().getPrivate(), form), StandardCharsets.US_ASCII);
    }

    /** Replaces both files as a renewal does: new files renamed over the old ones. */
    static void replace(Issued issued, KeyForm form, Path chainFile, Path keyFile) throws IOException {
        Path chainTemp = chainFile.resolveSibling(chainFile.getFileName() + ".new");
        Path keyTemp = keyFile.resolveSibling(keyFile.getFileName() + ".new");
        write(issued, form, chainTemp, keyTemp);
        Files.move(keyTemp, keyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(chainTemp, chainFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String keyPem(PrivateKey key, KeyForm form) throws IOException {
        return switch (form) {
            case PKCS8 -> pem(new JcaPKCS8Generator(key, null));
            case LEGACY -> key instanceof ECPrivateKey ec ? sec1(ec) : pem(new JcaMiscPEMGenerator(key));
            case ENCRYPTED -> pem(new JcaMiscPEMGenerator(key, new JcePEMEncryptorBuilder("AES-128-CBC")
                    .setProvider(new BouncyCastleProvider()).build("secret".toCharArray())));
        };
    }

    /**
     * SEC1 as OpenSSL writes it, with the named curve inside: the JDK's PKCS#8 encoding keeps the curve
     * in the outer algorithm identifier, so converting it as is would drop it.
     */
    private static String sec1(ECPrivateKey key) throws IOException {
        ASN1Encodable curve = PrivateKeyInfo.getInstance(key.getEncoded()).getPrivateKeyAlgorithm().getParameters();
        byte[] der = new org.bouncycastle.asn1.sec.ECPrivateKey(key.getParams().getOrder().bitLength(), key.getS(),
                null, curve).getEncoded();
        return pem(new PemObject("EC PRIVATE KEY", der));
    }

    public static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    /** A client context that trusts only this CA, offering the given protocols (all defaults when empty). */
    SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", caCert);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private X509Certificate sign(JcaX509v3CertificateBuilder builder) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
