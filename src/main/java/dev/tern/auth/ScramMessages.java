package dev.tern.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Parsing of the two client messages of SCRAM (RFC 5802 §7). Anything off throws {@link Malformed} with a
 * reason for the log.
 */
final class ScramMessages {

    private ScramMessages() {
    }

    /** A client message that does not follow the grammar, or asks for what Tern does not offer. */
    static final class Malformed extends Exception {
        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * {@code client-first-message = gs2-header client-first-message-bare}.
     *
     * @param gs2Header the header as sent ({@code n,,}, {@code y,,}, {@code n,a=alice@example.com,}), which the
     *                  client echoes in the final message's {@code c=}
     * @param authzid   the decoded authorization identity, empty when none
     * @param username  the decoded user name of {@code n=}
     * @param nonce     the client's nonce ({@code r=})
     * @param bare      {@code client-first-message-bare}, part of the AuthMessage
     */
    record ClientFirst(String gs2Header, String authzid, String username, String nonce, String bare) {
    }

    /**
     * {@code client-final-message = client-final-message-without-proof "," proof}.
     *
     * @param channelBinding the decoded {@code c=} value
     * @param nonce          the combined nonce ({@code r=})
     * @param withoutProof   {@code client-final-message-without-proof}, part of the AuthMessage
     * @param proof          the decoded ClientProof ({@code p=})
     */
    record ClientFinal(byte[] channelBinding, String nonce, String withoutProof, byte[] proof) {
    }

    static ClientFirst clientFirst(byte[] octets) throws Malformed {
        String message = utf8(octets);
        if (message.startsWith("p=")) {
            // RFC 5802 §6: Tern advertises no -PLUS mechanism, so a client insisting on binding must fail.
            throw new Malformed("client requires channel binding (" + message.split(",", 2)[0]
                    + "), which this server does not offer (no SCRAM-SHA-256-PLUS)");
        }
        if (!message.startsWith("n,") && !message.startsWith("y,")) {
            throw new Malformed("gs2 header must start with n, or y,");
        }
        int end = message.indexOf(',', 2);
        if (end < 0) {
            throw new Malformed("gs2 header has no second comma");
        }
        String authzidField = message.substring(2, end);
        String authzid = "";
        if (!authzidField.isEmpty()) {
            if (!authzidField.startsWith("a=")) {
                throw new Malformed("gs2 header: expected a=authzid");
            }
            authzid = saslname(authzidField.substring(2));
        }
        String bare = message.substring(end + 1);
        String[] attributes = bare.split(",", -1);
        if (attributes[0].startsWith("m=")) {
            throw new Malformed("mandatory extension m= is not supported"); // RFC 5802 §5.1
        }
        if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
            throw new Malformed("client-first-message-bare: expected n=username,r=nonce");
        }
        checkExtensions(attributes, 2);
        String username = saslname(attributes[0].substring(2));
        if (username.isEmpty()) {
            throw new Malformed("empty user name");
        }
        return new ClientFirst(message.substring(0, end + 1), authzid, username,
                nonce(attributes[1].substring(2)), bare);
    }

    static ClientFinal clientFinal(byte[] octets) throws Malformed {
        String message = utf8(octets);
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw new Malformed("client-final-message has no proof");
        }
        String withoutProof = message.substring(0, proofAt);
        String[] attributes = withoutProof.split(",", -1);
        if (attributes.length < 2 || !attributes[0].startsWith("c=") || !attributes[1].startsWith("r=")) {
            throw new Malformed("client-final-message: expected c=channel-binding,r=nonce,...,p=proof");
        }
        checkExtensions(attributes, 2);
        return new ClientFinal(base64(attributes[0].substring(2), "c="), attributes[1].substring(2), withoutProof,
                base64(message.substring(proofAt + 3), "p="));
    }

    /** Extensions ({@code x=value}) after the known attributes are allowed and ignored (RFC 5802 §5.1). */
    private static void checkExtensions(String[] attributes, int from) throws Malformed {
        for (int i = from; i < attributes.length; i++) {
            if (!attributes[i].matches("[A-Za-z]=.*")) {
                throw new Malformed("malformed attribute \"" + attributes[i] + "\"");
            }
        }
    }

    /** {@code saslname}: UTF-8 where {@code ,} is written {@code =2C} and {@code =} is {@code =3D}. */
    static String saslname(String text) throws Malformed {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '=') {
                out.append(c);
            } else if (text.startsWith("=2C", i) || text.startsWith("=3D", i)) {
                out.append(text.charAt(i + 2) == 'C' ? ',' : '=');
                i += 2;
            } else {
                throw new Malformed("saslname: '=' must be followed by 2C or 3D");
            }
        }
        return out.toString();
    }

    /** {@code c-nonce}: printable ASCII except {@code ,} (RFC 5802 §7). */
    private static String nonce(String text) throws Malformed {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= 0x21 && c <= 0x7E && c != ',')) {
            throw new Malformed("nonce must be printable ASCII without commas");
        }
        return text;
    }

    private static byte[] base64(String text, String attribute) throws Malformed {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new Malformed(attribute + " is not Base64");
        }
    }

    private static String utf8(byte[] octets) throws Malformed {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(octets)).toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("message is not UTF-8");
        }
    }
}
