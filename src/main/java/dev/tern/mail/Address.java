package dev.tern.mail;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A mailbox address from an SMTP path: local part and domain, exactly as the client wrote them.
 *
 * <p>The grammar is RFC 5321 §4.1.2 (Dot-string or Quoted-string local part, domain or address literal),
 * widened by RFC 6531 §3.3 to UTF-8 when the transaction uses SMTPUTF8. Lengths follow §4.5.3.1.1-2:
 * local part at most 64 octets, domain at most 255. The null reverse-path {@code <>} is {@link #NULL}.
 */
public record Address(String localPart, Domain domain) {

    /** The null reverse-path, {@code <>} (RFC 5321 §4.5.5: bounces and other notifications). */
    public static final Address NULL = new Address("", null);

    public static final int MAX_LOCAL_PART_OCTETS = 64;
    /**
     * The longest local part of a Sender Rewriting Scheme address ({@code SRS0=HHHH=TT=domain=local@...})
     * accepted: it carries a whole address, so it is often longer than 64 octets, and every forwarder writes it
     * so (RFC 5321 §4.5.3.1 asks servers to avoid limits where they can). Sized for a 64-octet local part, a
     * 255-octet domain and the SRS fields.
     */
    public static final int MAX_SRS_LOCAL_PART_OCTETS = 350;
    public static final int MAX_DOMAIN_OCTETS = 255;

    public boolean isNull() {
        return domain == null;
    }

    /** The local part without quoting: {@code "john.doe"} and {@code john.doe} are the same mailbox. */
    public String unquotedLocalPart() {
        if (localPart.length() >= 2 && localPart.startsWith("\"") && localPart.endsWith("\"")) {
            StringBuilder out = new StringBuilder(localPart.length());
            for (int i = 1; i < localPart.length() - 1; i++) {
                char c = localPart.charAt(i);
                if (c == '\\' && i + 1 < localPart.length() - 1) {
                    c = localPart.charAt(++i);
                }
                out.append(c);
            }
            return out.toString();
        }
        return localPart;
    }

    /** Whether local part or domain holds a non-ASCII character (needs SMTPUTF8, RFC 6531). */
    public boolean isInternational() {
        return !isNull() && !(isAscii(localPart) && isAscii(domain.name()));
    }

    /** Lower-cased {@code local@domain-key}, for lookups; local parts are compared case-insensitively. */
    public String key() {
        return isNull() ? "" : unquotedLocalPart().toLowerCase(Locale.ROOT) + "@" + domain.key();
    }

    /**
     * Parses a mailbox ({@code local@domain}) without angle brackets.
     *
     * @param utf8 whether UTF-8 is allowed (the transaction uses SMTPUTF8)
     * @throws AddressException with a reason fit for the client
     */
    public static Address parseMailbox(String text, boolean utf8) throws AddressException {
        int at = localPartEnd(text, utf8);
        if (at >= text.length() || text.charAt(at) != '@') {
            throw new AddressException("missing @domain");
        }
        String local = text.substring(0, at);
        String domain = text.substring(at + 1);
        if (octets(local) > MAX_LOCAL_PART_OCTETS && !(isSrsLocalPart(local)
                && octets(local) <= MAX_SRS_LOCAL_PART_OCTETS)) {
            throw new AddressException("local part longer than 64 octets");
        }
        checkDomain(domain, utf8);
        return new Address(local, Domain.of(domain));
    }

    /** Returns the index just past a valid local part (dot-string or quoted string). */
    private static int localPartEnd(String text, boolean utf8) throws AddressException {
        if (text.startsWith("\"")) {
            return quotedStringEnd(text, utf8);
        }
        int i = 0;
        boolean atomStart = true;
        while (i < text.length() && text.charAt(i) != '@') {
            char c = text.charAt(i);
            if (c == '.') {
                if (atomStart) {
                    throw new AddressException("empty atom in local part");
                }
                atomStart = true;
            } else if (isAtext(c, utf8)) {
                atomStart = false;
            } else {
                throw new AddressException(nonAscii(c, utf8) ? "non-ASCII address without SMTPUTF8"
                        : "invalid character in local part");
            }
            i++;
        }
        if (atomStart) {
            throw new AddressException(i == 0 ? "empty local part" : "local part ends with a dot");
        }
        return i;
    }

    private static int quotedStringEnd(String text, boolean utf8) throws AddressException {
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++;
                if (i >= text.length() || text.charAt(i) < 32 || text.charAt(i) > 126) {
                    throw new AddressException("invalid quoted pair in local part");
                }
            } else if (!(c >= 32 && c <= 126) && !(utf8 && c > 127)) {
                throw new AddressException(nonAscii(c, utf8) ? "non-ASCII address without SMTPUTF8"
                        : "invalid character in quoted local part");
            }
        }
        throw new AddressException("unterminated quoted local part");
    }

    /** RFC 5321 §4.1.2 Domain / address-literal; RFC 6531 allows U-labels. */
    public static void checkDomain(String domain, boolean utf8) throws AddressException {
        if (domain.isEmpty()) {
            throw new AddressException("empty domain");
        }
        if (octets(domain) > MAX_DOMAIN_OCTETS) {
            throw new AddressException("domain longer than 255 octets");
        }
        if (domain.startsWith("[")) {
            checkAddressLiteral(domain);
            return;
        }
        for (String label : domain.split("\\.", -1)) {
            checkLabel(label, utf8);
        }
        if (utf8 && !isAscii(domain) && Idna.toAscii(domain).isEmpty()) {
            throw new AddressException("invalid character in domain"); // RFC 6531 §3.2: U-labels by IDNA2008
        }
    }

    private static void checkLabel(String label, boolean utf8) throws AddressException {
        if (label.isEmpty() || label.length() > 63) {
            throw new AddressException("invalid domain label");
        }
        if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
            throw new AddressException("domain label starts or ends with a hyphen");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || (utf8 && c > 127 && !Character.isWhitespace(c) && !Character.isISOControl(c));
            if (!ok) {
                throw new AddressException(nonAscii(c, utf8) ? "non-ASCII address without SMTPUTF8"
                        : "invalid character in domain");
            }
        }
    }

    private static void checkAddressLiteral(String literal) throws AddressException {
        if (!literal.endsWith("]") || literal.length() < 3) {
            throw new AddressException("invalid address literal");
        }
        String inner = literal.substring(1, literal.length() - 1);
        boolean ipv4 = inner.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
        boolean ipv6 = inner.regionMatches(true, 0, "IPv6:", 0, 5) && inner.substring(5).matches("[0-9A-Fa-f:.]{2,45}");
        if (!ipv4 && !ipv6) {
            throw new AddressException("invalid address literal");
        }
    }

    static boolean isAtext(char c, boolean utf8) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        if ("!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0) {
            return true;
        }
        return utf8 && c > 127 && !Character.isWhitespace(c) && !Character.isISOControl(c);
    }

    private static boolean nonAscii(char c, boolean utf8) {
        return c > 127 && !utf8;
    }

    /** {@code SRS0=} or {@code SRS1=} (or with {@code +} or {@code -}, as libsrs2 allows), any case. */
    private static boolean isSrsLocalPart(String local) {
        return local.length() > 5 && local.regionMatches(true, 0, "SRS", 0, 3)
                && (local.charAt(3) == '0' || local.charAt(3) == '1') && "=+-".indexOf(local.charAt(4)) >= 0;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    private static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public String toString() {
        return isNull() ? "" : localPart + "@" + domain.name();
    }
}
