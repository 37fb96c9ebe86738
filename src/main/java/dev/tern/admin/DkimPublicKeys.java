package dev.tern.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * The DKIM signing keys of a domain, {@code <data>/dkim/<domain>/<selector>.key} (PKCS#8 PEM), turned into the
 * key records to publish at {@code <selector>._domainkey.<domain>} (RFC 6376 §3.6.1).
 */
final class DkimPublicKeys {

    /**
     * One key.
     *
     * @param type      the {@code k=} tag: "rsa" or "ed25519"
     * @param publicKey the {@code p=} tag: base64 of the SubjectPublicKeyInfo for RSA (RFC 6376 §3.6.1), of the
     *                  raw 32-octet key for Ed25519 (RFC 8463 §4.2)
     */
    record Key(String selector, String type, String publicKey, Path file) {
        String record() {
            return "v=DKIM1; k=" + type + "; p=" + publicKey;
        }
    }

    private DkimPublicKeys() {
    }

    /** The keys of the domain, sorted by selector; empty when the directory holds none. */
    static List<Key> of(Path dataDir, String domain) throws IOException, UserError {
        Path dir = dataDir.resolve("dkim").resolve(domain);
        List<Key> keys = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return keys;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.key")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                keys.add(read(name.substring(0, name.length() - ".key".length()), file));
            }
        }
        keys.sort(java.util.Comparator.comparing(Key::selector));
        return keys;
    }

    static Key read(String selector, Path file) throws IOException, UserError {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new UserError(file + ": not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        String body = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        try {
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(
                    PrivateKeyInfo.getInstance(Base64.getDecoder().decode(body)));
            if (key instanceof RSAPrivateCrtKeyParameters rsa) {
                byte[] spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(
                        new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent())).getEncoded();
                return new Key(selector, "rsa", Base64.getEncoder().encodeToString(spki), file);
            }
            if (key instanceof Ed25519PrivateKeyParameters ed) {
                return new Key(selector, "ed25519",
                        Base64.getEncoder().encodeToString(ed.generatePublicKey().getEncoded()), file);
            }
            throw new UserError(file + ": DKIM keys are RSA or Ed25519, not " + key.getClass().getSimpleName());
        } catch (IllegalArgumentException | IOException e) {
            throw new UserError(file + ": cannot read the private key: " + e.getMessage());
        }
    }
}
