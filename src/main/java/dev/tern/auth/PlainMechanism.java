package dev.tern.auth;

import dev.tern.store.Names;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * SASL PLAIN (RFC 4616): one message {@code [authzid] NUL authcid NUL passwd}. Without an initial response
 * the server first sends an empty challenge (RFC 4954 §4). Tern lets a user act only as itself, so an
 * authzid must be empty or name the same user as the authcid (RFC 4616 §2 leaves the policy to the server).
 */
final class PlainMechanism extends AbstractMechanism {

    static final String NAME = "PLAIN";
    /** RFC 4616 §2: authzid, authcid and passwd are each at most 255 octets. */
    private static final int MAX_FIELD = 255;

    private final PasswordCheck check;
    private final CheckGate gate;

    PlainMechanism(PasswordCheck check) {
        this(check, CheckGate.OPEN);
    }

    PlainMechanism(PasswordCheck check, CheckGate gate) {
        this.check = check;
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
    SaslStep respond(byte[] message) {
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (second < 0 || indexOf(message, second + 1) >= 0) {
            return new SaslStep.Failure(null, "malformed PLAIN message: expected authzid NUL authcid NUL passwd");
        }
        String authzid = utf8(message, 0, first);
        String authcid = utf8(message, first + 1, second);
        byte[] password = Arrays.copyOfRange(message, second + 1, message.length);
        try {
            if (authcid.isEmpty() || password.length == 0 || first > MAX_FIELD || second - first - 1 > MAX_FIELD
                    || password.length > MAX_FIELD) {
                return new SaslStep.Failure(authcid.isEmpty() ? null : authcid, "empty or over-long PLAIN field");
            }
            if (!authzid.isEmpty() && !sameUser(authzid, authcid)) {
                return new SaslStep.Failure(authcid, "authorization identity " + authzid + " is not the user");
            }
            Optional<String> user = check.check(authcid, password, gate);
            return user.<SaslStep>map(SaslStep.Success::new)
                    .orElseGet(() -> new SaslStep.Failure(authcid, "wrong password or no such user"));
        } finally {
            Arrays.fill(password, (byte) 0);
            Arrays.fill(message, (byte) 0);
        }
    }

    /** Whether two logins name the same user (case-insensitive, IDNA-aware), as the directory compares them. */
    static boolean sameUser(String a, String b) {
        Optional<String> key = Names.loginKey(a);
        return key.isPresent() ? Objects.equals(key, Names.loginKey(b)) : a.equals(b);
    }

    private static int indexOf(byte[] message, int from) {
        for (int i = from; i < message.length; i++) {
            if (message[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String utf8(byte[] message, int from, int to) {
        return new String(message, from, to - from, StandardCharsets.UTF_8);
    }
}
