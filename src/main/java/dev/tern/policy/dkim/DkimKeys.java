package dev.tern.policy.dkim;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/** Key generation, PKCS#8 PEM files, and the public key TXT records of RFC 6376 §3.6.1 and RFC 8463 §4.2. */
public final class DkimKeys {

    /** RFC 8301 §3.2: verifiers refuse shorter RSA keys; Tern neither makes nor trusts them. */
    public static final int MIN_RSA_BITS = 1024;
    public static final int DEFAULT_RSA_BITS = 2048;
    /** The DER SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410); DNS carries only the 32 key octets. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    /** The AlgorithmIdentifier of rsaEncryption with NULL parameters, to wrap a bare PKCS#1 RSAPublicKey. */
    private static final byte[] RSA_ALGORITHM_ID = HexFormat.of().parseHex("300d06092a864886f70d0101010500");

    private DkimKeys() {
    }

    /** A new key pair; {@code bits} applies to RSA only (1024 to 8192). */
    public static KeyPair generate(DkimAlgorithm algorithm, int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.jcaKeyAlgorithm());
        if (algorithm == DkimAlgorithm.RSA_SHA256) {
            if (bits < MIN_RSA_BITS || bits > 8192) {
                throw new IllegalArgumentException("RSA key size must be between 1024 and 8192 bits, got " + bits);
            }
            generator.initialize(bits);
        }
        return generator.generateKeyPair();
    }

    /** The private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public static String toPem(PrivateKey key) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    /** Reads a PKCS#8 PEM private key of the given algorithm. */
    public static PrivateKey fromPem(String pem, DkimAlgorithm algorithm) throws GeneralSecurityException {
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException("not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        String base64 = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end);
        byte[] der = Base64.getMimeDecoder().decode(base64);
        return KeyFactory.getInstance(algorithm.jcaKeyAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** The public half of a private key: from the RSA CRT parameters, or derived from the Ed25519 seed. */
    public static PublicKey publicKey(PrivateKey key) throws GeneralSecurityException {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        }
        if (key instanceof EdECPrivateKey ed) {
            byte[] seed = ed.getBytes().orElseThrow(() -> new GeneralSecurityException("Ed25519 key without its seed"));
            byte[] raw = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
            return ed25519PublicKey(raw);
        }
        throw new GeneralSecurityException("not an RSA (CRT) or Ed25519 private key: " + key.getAlgorithm());
    }

    /** The {@code p=} value: base64 SubjectPublicKeyInfo for RSA, the raw 32 octets for Ed25519 (RFC 8463 §4.2). */
    public static String publicKeyData(PublicKey key) {
        byte[] der = key.getEncoded();
        if (key.getAlgorithm().equals("RSA")) {
            return Base64.getEncoder().encodeToString(der);
        }
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(der, der.length - 32, der.length));
    }

    /** The TXT record value, {@code v=DKIM1; k=rsa; p=...}. */
    public static String recordValue(DkimAlgorithm algorithm, PublicKey key) {
        return "v=DKIM1; k=" + algorithm.keyType() + "; p=" + publicKeyData(key);
    }

    /**
     * The zone-file line for the record: {@code name. IN TXT ( "..." "..." )}, the value cut into character-strings
     * of at most 255 octets (RFC 1035 §3.3; RFC 6376 §3.6.2.2 joins them back).
     */
    public static String zoneLine(String recordName, String value) {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 255) {
            strings.add("\"" + value.substring(i, Math.min(value.length(), i + 255)) + "\"");
        }
        return recordName + ". IN TXT ( " + String.join(" ", strings) + " )";
    }

    /** Decodes {@code p=} for a key type; throws for data that is not a key of that type. */
    static PublicKey decodePublic(DkimAlgorithm algorithm, String base64) throws GeneralSecurityException {
        byte[] data;
        try {
            data = Base64.getDecoder().decode(TagList.withoutWhitespace(base64));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("p= is not base64");
        }
        if (algorithm == DkimAlgorithm.ED25519_SHA256) {
            if (data.length != 32) {
                throw new GeneralSecurityException("an Ed25519 p= holds 32 octets, got " + data.length);
            }
            return SigningProviders.ed25519VerificationKey(ed25519Spki(data));
        }
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        try {
            return rsa.generatePublic(new X509EncodedKeySpec(data));
        } catch (GeneralSecurityException notSpki) {
            // Some publish the bare PKCS#1 RSAPublicKey (RFC 3447 §A.1.1), as RFC 6376 §3.6.1 loosely describes.
            return rsa.generatePublic(new X509EncodedKeySpec(wrapPkcs1(data)));
        }
    }

    static int rsaBits(PublicKey key) {
        return key instanceof RSAKey rsa ? rsa.getModulus().bitLength() : 0;
    }

    private static PublicKey ed25519PublicKey(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(ed25519Spki(raw)));
    }

    private static byte[] ed25519Spki(byte[] raw) {
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
        return spki;
    }

    private static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream bitString = new ByteArrayOutputStream();
        bitString.write(0); // no unused bits
        bitString.writeBytes(pkcs1);
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        inner.writeBytes(RSA_ALGORITHM_ID);
        inner.writeBytes(der(0x03, bitString.toByteArray()));
        return der(0x30, inner.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
