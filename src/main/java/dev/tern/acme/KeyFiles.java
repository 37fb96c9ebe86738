package dev.tern.acme;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * EC P-256 key pairs made and read by the JDK's own provider, written as PEM by Bouncy Castle's writer.
 * acme4j's KeyPairUtils would ask for the "BC" provider by name, and registering Bouncy Castle as a JCA
 * provider makes every PEM key Tern loads a Bouncy Castle "ECDSA" key, which the TLS key manager does not
 * take for an "EC" one.
 */
final class KeyFiles {

    private KeyFiles() {
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has EC P-256", e);
        }
    }

    /** The private key alone (PKCS#8), as TLS reads it. */
    static String privateKeyPem(KeyPair pair) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
        }
        return out.toString();
    }

    /** Both halves (PKCS#8 private key, then the SubjectPublicKeyInfo), so the pair can be read back whole. */
    static String keyPairPem(KeyPair pair) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
            writer.writeObject(pair.getPublic());
        }
        return out.toString();
    }

    static KeyPair readKeyPair(String pem) throws IOException {
        PrivateKeyInfo privateInfo = null;
        SubjectPublicKeyInfo publicInfo = null;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo info) {
                    privateInfo = info;
                } else if (object instanceof SubjectPublicKeyInfo info) {
                    publicInfo = info;
                }
            }
        }
        if (privateInfo == null || publicInfo == null) {
            throw new IOException("the account key file must hold a PRIVATE KEY and a PUBLIC KEY block");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(publicInfo.getEncoded())),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(privateInfo.getEncoded())));
        } catch (GeneralSecurityException e) {
            throw new IOException("unreadable account key: " + e.getMessage(), e);
        }
    }
}
