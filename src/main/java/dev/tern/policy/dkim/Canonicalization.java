package dev.tern.policy.dkim;

import dev.tern.mail.header.HeaderField;
import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.Optional;

/** The two canonicalization algorithms of RFC 6376 §3.4, for header fields and for the body. */
public enum Canonicalization {
    /** §3.4.1 and §3.4.3: tolerates almost no change. */
    SIMPLE,
    /** §3.4.2 and §3.4.4: tolerates refolding, white-space changes and field-name case. */
    RELAXED;

    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Canonicalization> fromTag(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "simple" -> Optional.of(SIMPLE);
            case "relaxed" -> Optional.of(RELAXED);
            default -> Optional.empty();
        };
    }

    /** A body canonicalizer of this kind that writes to {@code out}. */
    BodyCanonicalizer body(BodyCanonicalizer.Sink out) {
        return this == SIMPLE ? new BodyCanonicalizer.Simple(out) : new BodyCanonicalizer.Relaxed(out);
    }

    /** Writes the canonical form of one header field, with its closing CRLF when {@code crlf}. */
    void header(HeaderField field, ByteArrayOutputStream out, boolean crlf) {
        if (this == SIMPLE) {
            field.writeRawTo(out); // §3.4.1: unchanged
        } else {
            relaxedHeader(field, out);
        }
        if (crlf) {
            out.write('\r');
            out.write('\n');
        }
    }

    /**
     * RFC 6376 §3.4.2: lower-case name; unfold; each run of WSP becomes one SP; no WSP at the end of the value
     * nor around the colon.
     */
    private static void relaxedHeader(HeaderField field, ByteArrayOutputStream out) {
        byte[] lower = DkimFields.lowerNameOctets(field);
        out.write(lower, 0, lower.length);
        out.write(':');
        int i = DkimFields.colon(field) + 1;
        int n = field.length();
        boolean wsp = false;
        boolean started = false;
        for (; i < n; i++) {
            byte b = field.at(i);
            if (b == '\r' && i + 1 < n && field.at(i + 1) == '\n') {
                i++; // unfold: CRLF is removed, the WSP after it is kept (and collapsed)
                continue;
            }
            if (DkimFields.isWsp(b)) {
                wsp = true;
                continue;
            }
            if (wsp && started) {
                out.write(' ');
            }
            wsp = false;
            started = true;
            out.write(b);
        }
    }
}
