package dev.tern.dane;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The DNS names of a server certificate, and whether one of them names a reference name (RFC 7672 §3.2.3, as
 * RFC 6125 §6.4 has it): the subjectAltName dNSName entries, or the subject's common name only when there
 * is no dNSName at all; a wildcard only as the whole leftmost label, standing for exactly one label.
 */
final class CertificateNames {

    private static final int DNS_NAME = 2; // GeneralName dNSName (RFC 5280 §4.2.1.6)
    private static final int SHOWN_NAMES = 5;

    private CertificateNames() {
    }

    static List<String> of(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = cert.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (entry.size() == 2 && entry.get(0) instanceof Integer type && type == DNS_NAME
                            && entry.get(1) instanceof String name) {
                        names.add(name);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of(); // an unreadable extension names nothing
        }
        if (names.isEmpty()) {
            X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
            for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
                names.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
            }
        }
        return names;
    }

    /** Whether any of the certificate's names matches any reference name. */
    static boolean anyMatches(List<String> certificateNames, List<String> referenceNames) {
        for (String presented : certificateNames) {
            for (String reference : referenceNames) {
                if (matches(presented, reference)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code mx.example.org} matches itself (case aside, trailing dot aside); {@code *.example.org} matches
     * {@code mx.example.org} but neither {@code example.org} nor {@code a.mx.example.org}. Partial wildcards
     * ({@code m*.example.org}) and wildcards over a single label ({@code *.org}) match nothing.
     */
    static boolean matches(String presented, String reference) {
        String p = DnsDane.bare(presented);
        String r = DnsDane.bare(reference);
        if (p.isEmpty() || r.isEmpty()) {
            return false;
        }
        if (!p.startsWith("*.")) {
            return p.indexOf('*') < 0 && p.equals(r);
        }
        String parent = p.substring(2);
        int firstDot = r.indexOf('.');
        return parent.indexOf('*') < 0 && parent.indexOf('.') > 0 && firstDot > 0
                && r.substring(firstDot + 1).equals(parent);
    }

    /** The names for a failure message: the first few, since a certificate may carry hundreds. */
    static String describe(List<String> names) {
        if (names.isEmpty()) {
            return "no DNS name";
        }
        String shown = String.join(", ", names.subList(0, Math.min(names.size(), SHOWN_NAMES)));
        return names.size() > SHOWN_NAMES ? shown + " and " + (names.size() - SHOWN_NAMES) + " more" : shown;
    }
}
