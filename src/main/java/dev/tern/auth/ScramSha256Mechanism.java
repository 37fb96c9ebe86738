package dev.tern.auth;

import dev.tern.store.Credentials;
import dev.tern.store.Names;
import dev.tern.store.ScramCredential;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding: gs2 headers {@code n} and {@code y} are
 * accepted, {@code p=} is refused (Tern offers no {@code -PLUS} variant). The exchange in SMTP:
 * <pre>
 * C: AUTH SCRAM-SHA-256 [client-first]        (without it: S: 334, C: client-first)
 * S: 334 server-first                         r=cnonce+snonce,s=salt,i=4096
 * C: client-final                             c=biws,r=...,p=proof
 * S: 334 server-final                         v=ServerSignature
 * C: (empty line)                             SMTP has no "additional data with success" (RFC 4954 §4)
 * S: 235 2.7.0
 * </pre>
 * A user without a stored verifier (unknown, or whose password predates them) gets a {@link FakeScram}
 * verifier, so every step looks the same and the failure comes at the proof, like a wrong password.
 */
final class ScramSha256Mechanism extends AbstractMechanism {

    static final String NAME = "SCRAM-SHA-256";
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private final Credentials credentials;
    private final FakeScram fakes;
    private final Supplier<String> nonces;
    private final CheckGate gate;

    private ScramMessages.ClientFirst clientFirst;
    private ScramCredential credential;
    private String missing; // why the verifier is a stand-in; null for a real one
    private String nonce; // the client's and the server's together
    private String serverFirst;
    private String verifiedUser;

    ScramSha256Mechanism(Credentials credentials, FakeScram fakes, Supplier<String> nonces) {
        this(credentials, fakes, nonces, CheckGate.OPEN);
    }

    /** With the gate the proof check passes first, so the throttle counts it before its result is known. */
    ScramSha256Mechanism(Credentials credentials, FakeScram fakes, Supplier<String> nonces, CheckGate gate) {
        this.credentials = credentials;
        this.fakes = fakes;
        this.nonces = nonces;
        this.gate = gate;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    SaslStep first(byte[] initialResponse) {
        return initialResponse == null ? new SaslStep.Challenge(new byte[0]) : respond(initialResponse);
    }

    @Override
    SaslStep respond(byte[] response) {
        if (clientFirst == null) {
            return clientFirst(response);
        }
        if (verifiedUser == null) {
            return clientFinal(response);
        }
        return response.length == 0 ? new SaslStep.Success(verifiedUser)
                : new SaslStep.Failure(clientFirst.username(), "unexpected data after the server-final message");
    }

    private SaslStep clientFirst(byte[] message) {
        try {
            clientFirst = ScramMessages.clientFirst(message);
        } catch (ScramMessages.Malformed e) {
            return new SaslStep.Failure(null, e.getMessage());
        }
        String username = clientFirst.username();
        if (!clientFirst.authzid().isEmpty() && !PlainMechanism.sameUser(clientFirst.authzid(), username)) {
            return new SaslStep.Failure(username, "authorization identity " + clientFirst.authzid()
                    + " is not the user");
        }
        Optional<ScramCredential> stored = credentials.scramSha256(username);
        credential = stored.orElseGet(() -> fakes.credential(username));
        if (stored.isEmpty()) {
            missing = credentials.passwordHash(username).isPresent()
                    ? "user has no SCRAM-SHA-256 verifier (password set before they were kept; set it again)"
                    : "no such user";
        }
        nonce = clientFirst.nonce() + nonces.get();
        serverFirst = "r=" + nonce + ",s=" + B64.encodeToString(credential.salt())
                + ",i=" + credential.iterations();
        return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.US_ASCII));
    }

    private SaslStep clientFinal(byte[] message) {
        String username = clientFirst.username();
        ScramMessages.ClientFinal clientFinal;
        try {
            clientFinal = ScramMessages.clientFinal(message);
        } catch (ScramMessages.Malformed e) {
            return new SaslStep.Failure(username, e.getMessage());
        }
        // RFC 5802 §7: c= is the gs2 header again (no channel binding data follows it for n and y).
        if (!Arrays.equals(clientFinal.channelBinding(), clientFirst.gs2Header().getBytes(StandardCharsets.UTF_8))) {
            return new SaslStep.Failure(username, "channel binding attribute does not repeat the gs2 header");
        }
        if (!clientFinal.nonce().equals(nonce)) {
            return new SaslStep.Failure(username, "nonce does not match the server's");
        }
        gate.admit(username);
        byte[] authMessage = (clientFirst.bare() + "," + serverFirst + "," + clientFinal.withoutProof())
                .getBytes(StandardCharsets.UTF_8);
        if (!proofMatches(clientFinal.proof(), authMessage) || missing != null) {
            return new SaslStep.Failure(username, missing != null ? missing : "wrong password");
        }
        verifiedUser = Names.loginKey(username).orElse(username);
        byte[] serverSignature = Scram.hmac(credential.serverKey(), authMessage);
        return new SaslStep.Challenge(("v=" + B64.encodeToString(serverSignature)).getBytes(StandardCharsets.US_ASCII));
    }

    /** RFC 5802 §3: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); then H(ClientKey) = StoredKey. */
    private boolean proofMatches(byte[] proof, byte[] authMessage) {
        byte[] storedKey = credential.storedKey();
        byte[] clientSignature = Scram.hmac(storedKey, authMessage);
        if (proof.length != clientSignature.length) {
            return false;
        }
        return MessageDigest.isEqual(Scram.h(Scram.xor(proof, clientSignature)), storedKey);
    }
}
