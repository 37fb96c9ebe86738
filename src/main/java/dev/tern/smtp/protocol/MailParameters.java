package dev.tern.smtp.protocol;

import dev.tern.mail.Envelope.BodyType;
import dev.tern.mail.Envelope.Ret;
import dev.tern.mail.Recipient.Notify;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ESMTP parameters of MAIL and RCPT that Tern implements, checked strictly. An unknown parameter is
 * refused with 555 5.5.4 (RFC 5321 §4.1.1.11); a known one with a bad value with 501 5.5.4; REQUIRETLS outside
 * TLS with 530 5.7.10 (RFC 8689).
 */
public final class MailParameters {

    private static final Reply UNKNOWN = Reply.of(555, "5.5.4", "Unsupported parameter");
    /**
     * REQUIRETLS on a session without TLS (RFC 8689 §2: the option may only be given in a session that employs
     * TLS). 5.7.10 "Encryption needed" is the code RFC 8689 §4.2.1 names for a session that is not under TLS; 530
     * is the basic code RFC 3207 §4 gives for "Must issue a STARTTLS command first".
     */
    static final Reply REQUIRETLS_WITHOUT_TLS =
            Reply.of(530, "5.7.10", "REQUIRETLS needs a TLS session: issue STARTTLS first (RFC 8689 §2)");

    private MailParameters() {
    }

    /**
     * The outcome of checking MAIL FROM parameters: the values, or the reply refusing them.
     *
     * @param requireTls REQUIRETLS was given (RFC 8689 §2), on a session under TLS
     */
    public record MailOptions(long declaredSize, BodyType body, boolean smtputf8, Ret ret, String envid,
                              boolean requireTls) {

        /** Options without REQUIRETLS. */
        public MailOptions(long declaredSize, BodyType body, boolean smtputf8, Ret ret, String envid) {
            this(declaredSize, body, smtputf8, ret, envid, false);
        }
    }

    /** The outcome of checking RCPT TO parameters. */
    public record RcptOptions(Set<Notify> notifyOn, String orcpt) { }

    /** Thrown with the reply for the client when a parameter is refused. */
    public static final class Refused extends Exception {
        private final transient Reply reply;

        Refused(Reply reply) {
            super(reply.summary(), null, false, false);
            this.reply = reply;
        }

        public Reply reply() {
            return reply;
        }
    }

    /** MAIL parameters given on a session without TLS: see {@link #mail(Map, boolean)}. */
    public static MailOptions mail(Map<String, String> params) throws Refused {
        return mail(params, false);
    }

    /**
     * MAIL: SIZE (RFC 1870), BODY (RFC 6152, RFC 3030), SMTPUTF8 (RFC 6531), RET and ENVID (RFC 3461), REQUIRETLS
     * (RFC 8689). Every parameter's syntax is checked first, in the order given, so a malformed or unknown one gets
     * its 501 or 555 whether the session is encrypted or not; only then is REQUIRETLS on a session without TLS
     * refused, with 530 5.7.10. (A keyword given twice never gets here: {@link CommandParser} refuses the line.)
     *
     * @param encrypted whether the session is under TLS (after STARTTLS, or on an implicit-TLS listener)
     */
    public static MailOptions mail(Map<String, String> params, boolean encrypted) throws Refused {
        long size = -1;
        BodyType body = BodyType.SEVEN_BIT;
        boolean utf8 = false;
        Ret ret = null;
        String envid = null;
        boolean requireTls = false;
        for (Map.Entry<String, String> p : params.entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "SIZE" -> size = size(value);
                case "BODY" -> body = body(value);
                case "SMTPUTF8" -> utf8 = noValue(value, "SMTPUTF8");
                case "RET" -> ret = ret(value);
                case "ENVID" -> envid = xtext(value, 100, "ENVID");
                case "AUTH" -> authParameter(value); // RFC 4954 §5: noted, never trusted
                case "REQUIRETLS" -> requireTls = noValue(value, "REQUIRETLS"); // RFC 8689 §2: no esmtp-value
                default -> throw new Refused(UNKNOWN);
            }
        }
        if (requireTls && !encrypted) {
            throw new Refused(REQUIRETLS_WITHOUT_TLS);
        }
        return new MailOptions(size, body, utf8, ret, envid, requireTls);
    }

    /** {@code AUTH=<>} or {@code AUTH=xtext}: checked for syntax only; the session knows who logged in. */
    private static void authParameter(String value) throws Refused {
        if (!"<>".equals(value)) {
            xtext(value, 500, "AUTH");
        }
    }

    /** RCPT: NOTIFY and ORCPT (RFC 3461 §4.1, §4.2). */
    public static RcptOptions rcpt(Map<String, String> params) throws Refused {
        Set<Notify> notify = Set.of();
        String orcpt = null;
        for (Map.Entry<String, String> p : params.entrySet()) {
            switch (p.getKey()) {
                case "NOTIFY" -> notify = notify(p.getValue());
                case "ORCPT" -> orcpt = orcpt(p.getValue());
                default -> throw new Refused(UNKNOWN);
            }
        }
        return new RcptOptions(notify, orcpt);
    }

    private static long size(String value) throws Refused {
        if (value == null || !value.matches("[0-9]{1,18}")) {
            throw bad("SIZE takes a number of octets (RFC 1870)");
        }
        return Long.parseLong(value);
    }

    private static BodyType body(String value) throws Refused {
        String v = value == null ? "" : value.toUpperCase(Locale.ROOT);
        return switch (v) {
            case "7BIT" -> BodyType.SEVEN_BIT;
            case "8BITMIME" -> BodyType.EIGHT_BIT_MIME;
            case "BINARYMIME" -> BodyType.BINARY_MIME;
            default -> throw bad("BODY must be 7BIT, 8BITMIME or BINARYMIME");
        };
    }

    private static boolean noValue(String value, String name) throws Refused {
        if (value != null) {
            throw bad(name + " takes no value");
        }
        return true;
    }

    private static Ret ret(String value) throws Refused {
        String v = value == null ? "" : value.toUpperCase(Locale.ROOT);
        return switch (v) {
            case "FULL" -> Ret.FULL;
            case "HDRS" -> Ret.HDRS;
            default -> throw bad("RET must be FULL or HDRS (RFC 3461)");
        };
    }

    private static Set<Notify> notify(String value) throws Refused {
        if (value == null) {
            throw bad("NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY (RFC 3461)");
        }
        EnumSet<Notify> set = EnumSet.noneOf(Notify.class);
        for (String word : value.toUpperCase(Locale.ROOT).split(",", -1)) {
            try {
                if (!set.add(Notify.valueOf(word))) {
                    throw bad("NOTIFY lists a value twice");
                }
            } catch (IllegalArgumentException e) {
                throw bad("NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY (RFC 3461)");
            }
        }
        if (set.contains(Notify.NEVER) && set.size() > 1) {
            throw bad("NOTIFY=NEVER cannot be combined (RFC 3461 §4.1)");
        }
        return set;
    }

    /** {@code ORCPT=addr-type ";" xtext} (RFC 3461 §4.2). */
    private static String orcpt(String value) throws Refused {
        int semicolon = value == null ? -1 : value.indexOf(';');
        if (semicolon <= 0 || !value.substring(0, semicolon).matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
            throw bad("ORCPT must be addr-type;xtext (RFC 3461 §4.2)");
        }
        xtext(value.substring(semicolon + 1), 500, "ORCPT");
        return value;
    }

    /**
     * xtext (RFC 3461 §4): printable ASCII except "+" and "=", with "+XX" hex escapes.
     * RFC 6533 allows UTF-8 too when SMTPUTF8 is used; we accept UTF-8 octets as they come.
     */
    private static String xtext(String value, int maxLength, String name) throws Refused {
        if (value == null || value.isEmpty() || value.length() > maxLength) {
            throw bad(name + " must be xtext of at most " + maxLength + " characters (RFC 3461)");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+') {
                if (i + 2 >= value.length() || !isUpperHex(value.charAt(i + 1)) || !isUpperHex(value.charAt(i + 2))) {
                    throw bad(name + " has a bad +XX escape (RFC 3461 §4)");
                }
                i += 2;
            } else if (c < '!' || c == '=' || c == 127) {
                throw bad(name + " must be xtext (RFC 3461 §4)");
            }
        }
        return value;
    }

    private static boolean isUpperHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }

    private static Refused bad(String text) {
        return new Refused(Reply.of(501, "5.5.4", text));
    }
}
