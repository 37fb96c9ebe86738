package dev.tern.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The LOGIN mechanism: not in an RFC (draft-murchison-sasl-login), but what Outlook and many older clients
 * use. The server asks {@code Username:} and then {@code Password:}, each as a challenge; an initial
 * response ({@code AUTH LOGIN <base64 user>}) is taken as the user name and skips the first question.
 */
final class LoginMechanism extends AbstractMechanism {

    static final String NAME = "LOGIN";
    static final byte[] USERNAME = "Username:".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PASSWORD = "Password:".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_FIELD = 255;

    private final PasswordCheck check;
    private final CheckGate gate;
    private String user;

    LoginMechanism(PasswordCheck check) {
        this(check, CheckGate.OPEN);
    }

    LoginMechanism(PasswordCheck check, CheckGate gate) {
        this.check = check;
        this.gate = gate;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    SaslStep first(byte[] initialResponse) {
        return initialResponse == null ? new SaslStep.Challenge(USERNAME) : respond(initialResponse);
    }

    @Override
    SaslStep respond(byte[] response) {
        if (user == null) {
            user = new String(response, StandardCharsets.UTF_8);
            return new SaslStep.Challenge(PASSWORD);
        }
        try {
            if (user.isEmpty() || response.length == 0 || user.length() > MAX_FIELD || response.length > MAX_FIELD) {
                return new SaslStep.Failure(user.isEmpty() ? null : user, "empty or over-long LOGIN field");
            }
            Optional<String> canonical = check.check(user, response, gate);
            return canonical.<SaslStep>map(SaslStep.Success::new)
                    .orElseGet(() -> new SaslStep.Failure(user, "wrong password or no such user"));
        } finally {
            Arrays.fill(response, (byte) 0);
        }
    }
}
