package dev.tern.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a certificate chain and its private key from PEM files as certbot writes them
 * ({@code fullchain.pem}, {@code privkey.pem}). The key may be PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}); RFC 7468 describes the textual encoding.
 */
final class PemLoader {

    private static final byte[] PROBE = "tern key/certificate match probe".getBytes(StandardCharsets.US_ASCII);

    private PemLoader() {
    }

    static CertifiedKey load(Path chainFile, Path keyFile) throws TlsFileException {
        List<X509Certificate> chain = readChain(chainFile);
        PrivateKey key = readKey(keyFile);
        checkMatch(chain.get(0), key, keyFile, chainFile);
        return new CertifiedKey(chain, key, chainFile);
    }

    static List<X509Certificate> readChain(Path file) throws TlsFileException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = open(file); PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                } // other blocks (a key appended by hand, parameters) are not part of the chain
            }
        } catch (CertificateException e) {
            throw new TlsFileException(file, "unreadable certificate: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw failure(file, e);
        }
        if (chain.isEmpty()) {
            throw new TlsFileException(file, "no PEM certificate (BEGIN CERTIFICATE) found");
        }
        return chain;
    }

    static PrivateKey readKey(Path file) throws TlsFileException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = open(file); PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {            // PKCS#1 or SEC1
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (item instanceof PrivateKeyInfo info) { // PKCS#8
                    return converter.getPrivateKey(info);
                } else if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new TlsFileException(file, "the private key is encrypted; a server needs it unencrypted");
                } // a certificate or EC PARAMETERS block before the key: keep looking
            }
        } catch (TlsFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw failure(file, e);
        }
        throw new TlsFileException(file, "no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) found");
    }

    /**
     * Signs a probe with the key and verifies it with the certificate: works for RSA and EC alike, in
     * whichever form the key came, without deriving the public key from the private one.
     */
    private static void checkMatch(X509Certificate leaf, PrivateKey key, Path keyFile, Path chainFile)
            throws TlsFileException {
        String algorithm = switch (leaf.getPublicKey().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new TlsFileException(chainFile,
                    "unsupported key algorithm " + leaf.getPublicKey().getAlgorithm() + " (use RSA or EC)");
        };
        boolean matches;
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(key);
            signature.update(PROBE);
            byte[] signed = signature.sign();
            signature.initVerify(leaf.getPublicKey());
            signature.update(PROBE);
            matches = signature.verify(signed);
        } catch (GeneralSecurityException | RuntimeException e) {
            matches = false;
        }
        if (!matches) {
            throw new TlsFileException(keyFile, "the private key does not match the certificate in " + chainFile);
        }
    }

    private static Reader open(Path file) throws IOException {
        // ISO-8859-1 never fails to decode: text outside the PEM blocks (comments) is not our business.
        return Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
    }

    private static TlsFileException failure(Path file, Exception e) {
        if (e instanceof NoSuchFileException) {
            return new TlsFileException(file, "file not found", e);
        }
        if (e instanceof AccessDeniedException) {
            return new TlsFileException(file, "permission denied", e);
        }
        return new TlsFileException(file, "not valid PEM: " + e.getMessage(), e);
    }
}
