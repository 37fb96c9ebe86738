package dev.tern.dane;

import dev.tern.dns.TlsaRecord;
import java.util.List;

/**
 * Which TLSA records an SMTP client may use (RFC 7672 §3.1, RFC 7671 §5): DANE-TA(2) and DANE-EE(3), with a
 * known selector and matching type and association data of the length its matching type implies. The rest
 * (PKIX-TA(0) and PKIX-EE(1), which RFC 7672 §3.1.3 makes unusable for SMTP; unknown values; a digest of the
 * wrong length) are "unusable": they neither authenticate a server nor make its TLS optional.
 */
final class TlsaUsability {

    static final int PKIX_TA = 0;
    static final int PKIX_EE = 1;
    static final int DANE_TA = 2;
    static final int DANE_EE = 3;
    static final int SELECTOR_CERT = 0;
    static final int SELECTOR_SPKI = 1;
    static final int MATCH_FULL = 0;
    static final int MATCH_SHA256 = 1;
    static final int MATCH_SHA512 = 2;

    private TlsaUsability() {
    }

    static List<TlsaRecord> usable(List<TlsaRecord> records) {
        return records.stream().filter(TlsaUsability::isUsable).toList();
    }

    static boolean isUsable(TlsaRecord record) {
        if (record.usage() != DANE_TA && record.usage() != DANE_EE) {
            return false;
        }
        if (record.selector() != SELECTOR_CERT && record.selector() != SELECTOR_SPKI) {
            return false;
        }
        int length = record.data().length;
        return switch (record.matchingType()) {
            case MATCH_FULL -> length > 0;
            case MATCH_SHA256 -> length == 32;
            case MATCH_SHA512 -> length == 64;
            default -> false;
        };
    }
}
