package dev.tern.app;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/** The client side of SCRAM-SHA-256 (RFC 5802 §3, RFC 7677), written out by hand for tests. */
final class ScramClient {

    private final String user;
    private final String password;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] serverSignature;

    ScramClient(String user, String password, String clientNonce) {
        this.user = user;
        this.password = password;
        this.clientNonce = clientNonce;
    }

    /** {@code n,,n=user,r=nonce} */
    String clientFirst() {
        clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        return "n,," + clientFirstBare;
    }

    /** Computes the proof for the server-first message. */
    String clientFinal(String serverFirst) throws GeneralSecurityException {
        String nonce = attribute(serverFirst, 'r');
        byte[] salt = Base64.getDecoder().decode(attribute(serverFirst, 's'));
        int iterations = Integer.parseInt(attribute(serverFirst, 'i'));
        SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        String withoutProof = "c=biws,r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] signature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** Whether the server-final message proves the server knew the verifier. */
    boolean verifyServerFinal(String serverFinal) {
        return serverFinal.equals("v=" + Base64.getEncoder().encodeToString(serverSignature));
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() > 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        throw new IllegalArgumentException("no " + name + "= in " + message);
    }
}
