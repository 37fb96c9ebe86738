package dev.tern.mail;

import com.ibm.icu.text.IDNA;
import java.util.Locale;
import java.util.Optional;

/**
 * Domain names between U-labels and A-labels by IDNA2008 (RFC 5890-5893), through UTS #46 with
 * non-transitional processing: {@code ß}, {@code ς}, ZWJ and ZWNJ stay themselves ({@code faß.de} is
 * {@code xn--fa-hia.de}, not {@code fass.de} as IDNA2003 made it), as browsers and mail servers convert
 * domains now. RFC 5891 §4.2.3 and the CONTEXTJ rules of RFC 5892 are checked, and so are the bidi rules
 * of RFC 5893; symbols IDNA2008 disallows, emoji among them, are refused.
 */
final class Idna {

    /** Thread-safe (ICU documents IDNA instances as immutable). */
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.NONTRANSITIONAL_TO_UNICODE | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ);

    private Idna() {
    }

    /** The lower-case A-label form of a domain, or empty when IDNA2008 refuses it. */
    static Optional<String> toAscii(String domain) {
        IDNA.Info info = new IDNA.Info();
        StringBuilder ascii = UTS46.nameToASCII(domain, new StringBuilder(domain.length() + 8), info);
        if (info.hasErrors() || !allowed(domain)) {
            return Optional.empty();
        }
        return Optional.of(ascii.toString().toLowerCase(Locale.ROOT));
    }

    /** The U-label form of a domain, or empty when a label does not decode by IDNA2008. */
    static Optional<String> toUnicode(String domain) {
        IDNA.Info info = new IDNA.Info();
        StringBuilder unicode = UTS46.nameToUnicode(domain, new StringBuilder(domain.length()), info);
        return info.hasErrors() ? Optional.empty() : Optional.of(unicode.toString());
    }

    /**
     * UTS #46 still maps some symbols that IDNA2008 (RFC 5892 §2.6) disallows; emoji are the ones clients
     * send, so they are refused here.
     */
    private static boolean allowed(String domain) {
        return domain.codePoints().noneMatch(c -> c > 127 && com.ibm.icu.lang.UCharacter.hasBinaryProperty(c,
                com.ibm.icu.lang.UProperty.EXTENDED_PICTOGRAPHIC));
    }
}
