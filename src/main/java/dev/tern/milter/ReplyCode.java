package dev.tern.milter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of an SMFIR_REPLYCODE ({@code smfi_setreply}/{@code smfi_setmlreply}): {@code "550 5.7.1 text"},
 * lines joined by CRLF with {@code -} after the code of all but the last. Checked before the client sees it:
 * one code of class 4 or 5 on every line, an enhanced code of the same class if any (RFC 3463 §2), printable
 * text. A reply that fails is the milter misbehaving, not something to pass on.
 */
final class ReplyCode {

    private static final Pattern LINE = Pattern.compile("([45][0-9][0-9])([ -])(?:([45]\\.[0-9]{1,3}\\.[0-9]{1,3})(?: |$))?(.*)");

    private ReplyCode() {
    }

    /** The verdict this reply text gives, or null when it is not a valid reply. */
    static Verdict parse(byte[] data, String milter) {
        int end = data.length;
        if (end > 0 && data[end - 1] == 0) {
            end--;
        }
        String text = new String(data, 0, end, StandardCharsets.UTF_8);
        String[] raw = text.split("\r\n", -1);
        if (raw.length > 20) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        String code = null;
        String enhanced = null;
        for (int i = 0; i < raw.length; i++) {
            Matcher m = LINE.matcher(raw[i]);
            if (!m.matches() || (code != null && !code.equals(m.group(1)))
                    || m.group(2).equals("-") != (i < raw.length - 1)) {
                return null;
            }
            code = m.group(1);
            if (m.group(3) != null) {
                if (m.group(3).charAt(0) != code.charAt(0) || (enhanced != null && !enhanced.equals(m.group(3)))) {
                    return null;
                }
                enhanced = m.group(3);
            }
            String line = m.group(4);
            if (!line.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
                return null;
            }
            lines.add(line);
        }
        int value = Integer.parseInt(code);
        Verdict.Action action = value >= 500 ? Verdict.Action.REJECT : Verdict.Action.TEMPFAIL;
        if (enhanced == null) {
            enhanced = value >= 500 ? "5.7.1" : "4.7.1";
        }
        return new Verdict(action, value, enhanced, lines, milter);
    }
}
