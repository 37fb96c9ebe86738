package dev.tern.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** The DNS names a certificate is for, and matching them against a requested host name (RFC 6125). */
final class HostNames {

    private static final int SAN_DNS_NAME = 2;

    private HostNames() {
    }

    /**
     * The subjectAltName dNSName entries, lower-cased; only when there are none, the subject CNs
     * (RFC 6125 section 6.4.4: a CN is not consulted when a dNSName is present).
     */
    static List<String> of(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        for (List<?> entry : subjectAltNames(cert)) {
            if (entry.size() >= 2 && entry.get(0) instanceof Integer type && type == SAN_DNS_NAME
                    && entry.get(1) instanceof String name) {
                names.add(normalize(name));
            }
        }
        if (names.isEmpty()) {
            X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
            for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
                names.add(normalize(IETFUtils.valueToString(rdn.getFirst().getValue())));
            }
        }
        return List.copyOf(names);
    }

    private static Collection<List<?>> subjectAltNames(X509Certificate cert) {
        try {
            Collection<List<?>> all = cert.getSubjectAlternativeNames();
            return all == null ? List.of() : all;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    /**
     * True when {@code pattern} (a certificate name) covers {@code host}. A wildcard stands for exactly
     * one whole left-most label (RFC 6125 section 6.4.3): {@code *.example.com} matches
     * {@code mx.example.com} but neither {@code example.com} nor {@code a.b.example.com}.
     */
    static boolean matches(String pattern, String host) {
        String p = normalize(pattern);
        String h = normalize(host);
        if (p.isEmpty() || h.isEmpty()) {
            return false;
        }
        if (!p.startsWith("*.")) {
            return p.equals(h);
        }
        String suffix = p.substring(1); // ".example.com"
        int firstDot = h.indexOf('.');
        return firstDot > 0 && h.substring(firstDot).equals(suffix) && suffix.indexOf('.', 1) > 0;
    }

    /** Lower case, without the trailing dot of an absolute name; SNI carries A-labels (RFC 6066 section 3). */
    static String normalize(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
