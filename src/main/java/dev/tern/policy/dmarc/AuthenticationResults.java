package dev.tern.policy.dmarc;

import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import dev.tern.policy.spf.SpfResult;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code Authentication-Results} header field (RFC 8601) Tern adds to received mail, and the detection of
 * fields that claim to come from us but arrived with the message (§5: a border MTA removes them, or a forger
 * could make our users' filters trust a pass we never gave).
 */
public final class AuthenticationResults {

    public static final String NAME = "Authentication-Results";

    /** RFC 2045 §5.1 token: printable ASCII without SPACE and the tspecials. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.0-9A-Z^_`a-z{|}~-]+");
    /** A local-part@domain an unquoted pvalue may hold (RFC 8601 §2.2, dot-atom local part). */
    private static final Pattern ADDRESS = Pattern.compile(
            "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+(\\.[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+)*@[\\p{L}\\p{N}.-]+");
    private static final String FOLD = ";\r\n\t";

    private AuthenticationResults() {
    }

    /**
     * One field with one entry per method: {@code spf}, one {@code dkim} per signature ({@code dkim=none} when
     * there is none), {@code dmarc}; each entry on its own folded line.
     *
     * @param authservId the name of this authentication service (RFC 8601 §2.5), usually the host name
     * @param spf        the MAIL FROM (or HELO) check, or null when SPF was not checked
     * @param mailFrom   the reverse-path without angle brackets, "" for the null reverse-path
     * @param helo       the HELO/EHLO name, reported as {@code smtp.helo} for a null reverse-path
     * @param dkim       one result per signature
     * @param dmarc      the DMARC evaluation, or null when DMARC was not checked
     * @return the field, ending in CRLF
     */
    public static String header(String authservId, SpfResult spf, String mailFrom, String helo,
                                List<DkimSignatureResult> dkim, DmarcResult dmarc) {
        List<String> entries = new ArrayList<>();
        entries.add(spfEntry(spf, mailFrom, helo));
        if (dkim.isEmpty()) {
            entries.add("dkim=none");
        }
        for (DkimSignatureResult signature : dkim) {
            entries.add(dkimEntry(signature));
        }
        entries.add(dmarcEntry(dmarc));
        return NAME + ": " + value(authservId) + FOLD + String.join(FOLD, entries) + "\r\n";
    }

    private static String spfEntry(SpfResult spf, String mailFrom, String helo) {
        String result = spf == null ? "none" : spf.outcome().keyword();
        if (mailFrom != null && !mailFrom.isEmpty()) {
            return "spf=" + result + " smtp.mailfrom=" + mailboxValue(mailFrom);
        }
        return helo == null || helo.isEmpty() ? "spf=" + result : "spf=" + result + " smtp.helo=" + value(helo);
    }

    private static String dkimEntry(DkimSignatureResult signature) {
        StringBuilder entry = new StringBuilder("dkim=").append(signature.result());
        if (signature.testing()) {
            entry.append(" (test mode)");
        }
        entry.append(" header.d=").append(value(signature.domain()));
        entry.append(" header.s=").append(value(signature.selector()));
        String b = signature.signature();
        if (!b.isEmpty()) {
            // RFC 6008 §4: the first characters of b= tell several signatures of one domain apart.
            entry.append(" header.b=").append(value(b.substring(0, Math.min(8, b.length()))));
        }
        return entry.toString();
    }

    private static String dmarcEntry(DmarcResult dmarc) {
        if (dmarc == null) {
            return "dmarc=none";
        }
        StringBuilder entry = new StringBuilder("dmarc=").append(dmarc.outcome().keyword());
        if (dmarc.record() != null) {
            entry.append(" (p=").append(dmarc.requested().keyword())
                    .append(" dis=").append(dmarc.disposition().keyword()).append(')');
        } else if (dmarc.fromDomain().isEmpty()) {
            entry.append(' ').append(comment(dmarc.detail()));
        }
        if (!dmarc.fromDomain().isEmpty()) {
            entry.append(" header.from=").append(value(dmarc.fromDomain()));
        }
        return entry.toString();
    }

    /** A pvalue: the text as a token when it is one, else a quoted-string (RFC 8601 §2.2, RFC 2045 §5.1). */
    static String value(String text) {
        return TOKEN.matcher(text).matches() ? text : quoted(text);
    }

    private static String mailboxValue(String address) {
        return ADDRESS.matcher(address).matches() ? address : quoted(address);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\r\\n]", " ") + "\"";
    }

    private static String comment(String text) {
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                .replaceAll("[\\r\\n]", " ") + ")";
    }

    /**
     * The Authentication-Results fields of a header block that claim our authserv-id (compared without regard to
     * case, RFC 8601 §5), with their offsets so that the caller can remove them before adding its own.
     */
    public static List<HeaderField> claimingUs(List<HeaderField> fields, String authservId) {
        String ours = canonical(authservId);
        return fields.stream().filter(f -> f.isLeniently(NAME))
                .filter(f -> authservId(f.value()).map(AuthenticationResults::canonical).filter(ours::equals).isPresent())
                .toList();
    }

    public static List<HeaderField> claimingUs(byte[] message, String authservId) {
        return claimingUs(HeaderBlock.parse(message, HeaderBlock.LineEnds.LF).namedFields(), authservId);
    }

    /** The message without the fields {@link #claimingUs} finds; the same array when there are none. */
    public static byte[] withoutOurs(byte[] message, String authservId) {
        List<HeaderField> forged = claimingUs(message, authservId);
        if (forged.isEmpty()) {
            return message;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length);
        int pos = 0;
        for (HeaderField field : forged) {
            out.write(message, pos, field.start() - pos);
            pos = field.end();
        }
        out.write(message, pos, message.length - pos);
        return out.toByteArray();
    }

    /** The authserv-id at the start of a field value, after any comments and white space (RFC 8601 §2.2). */
    static Optional<String> authservId(String value) {
        int i = skipCfws(value, 0);
        if (i >= value.length()) {
            return Optional.empty();
        }
        if (value.charAt(i) == '"') {
            StringBuilder out = new StringBuilder();
            for (i++; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\' && i + 1 < value.length()) {
                    out.append(value.charAt(++i));
                } else if (c == '"') {
                    return Optional.of(out.toString());
                } else {
                    out.append(c);
                }
            }
            return Optional.empty();
        }
        int end = i;
        while (end < value.length() && ";( \t\r\n\"".indexOf(value.charAt(end)) < 0) {
            end++;
        }
        return end == i ? Optional.empty() : Optional.of(value.substring(i, end));
    }

    private static int skipCfws(String value, int from) {
        int i = from;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(') {
                int depth = 0;
                for (; i < value.length(); i++) {
                    char d = value.charAt(i);
                    if (d == '\\') {
                        i++;
                    } else if (d == '(') {
                        depth++;
                    } else if (d == ')' && --depth == 0) {
                        break;
                    }
                }
                i++;
            } else {
                return i;
            }
        }
        return i;
    }

    /** Lower case, without the trailing dot of an absolute name, so that {@code MX.Example.COM.} is ours too. */
    private static String canonical(String id) {
        String lower = id.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
