package dev.tern.policy.dkim;

import java.util.List;

/**
 * Writes a DKIM-Signature field folded at 78 characters (RFC 5322 §2.1.1), breaking only where a space already
 * is, so relaxed canonicalization sees the same text folded or not; the {@code b=} value is broken anywhere,
 * since it is deleted before hashing (RFC 6376 §3.5 allows FWS in it).
 */
final class SignatureFolder {

    static final int LINE = 78;

    private final StringBuilder text = new StringBuilder(DkimSignature.FIELD + ":");
    private int lineLength = text.length();

    /** The field so far: {@code DKIM-Signature:} and the tokens, each after a space or a fold. */
    static SignatureFolder of(List<String> tokens) {
        SignatureFolder folder = new SignatureFolder();
        tokens.forEach(folder::token);
        return folder;
    }

    private void token(String token) {
        if (lineLength + 1 + token.length() > LINE) {
            text.append("\r\n ");
            lineLength = 1;
        } else {
            text.append(' ');
            lineLength++;
        }
        text.append(token);
        lineLength += token.length();
    }

    /** The text before the signature value is added. */
    String text() {
        return text.toString();
    }

    /** Appends a value that may be broken anywhere (the base64 of {@code b=}), filling each line. */
    String withValue(String value) {
        StringBuilder out = new StringBuilder(text);
        int line = lineLength;
        int i = 0;
        while (i < value.length()) {
            int room = LINE - line;
            if (room <= 0) {
                out.append("\r\n ");
                line = 1;
                continue;
            }
            int take = Math.min(room, value.length() - i);
            out.append(value, i, i + take);
            line += take;
            i += take;
        }
        return out.toString();
    }
}
