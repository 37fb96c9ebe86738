package dev.tern.config;

import java.time.Duration;
import java.util.Optional;

/** Reads {@code [dkim]} into {@link DkimSettings}. */
final class DkimReader {

    private DkimReader() {
    }

    static DkimSettings read(Section top, DkimSettings d) throws ConfigException {
        Optional<Section> table = top.table("dkim");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        DkimSettings settings = new DkimSettings(
                s.bool("sign", d.sign()),
                s.bool("verify", d.verify()),
                s.choice("header_canonicalization", d.headerCanonicalization(), DkimSettings.Canonicalization.class),
                s.choice("body_canonicalization", d.bodyCanonicalization(), DkimSettings.Canonicalization.class),
                // x= is for replay protection, not transport: a week or so; "0s" leaves it out.
                s.duration("signature_lifetime", d.signatureLifetime(), Duration.ZERO, Duration.ofDays(365)),
                // RFC 6376 §8.4: verifiers may bound the signatures they check.
                s.integer("max_signatures", d.maxSignatures(), 1, 100),
                // rsa-sha256 by OpenSSL's libcrypto is about four times cheaper; "jdk" keeps the JDK's provider.
                s.choice("crypto", d.crypto(), DkimSettings.Crypto.class));
        if (!settings.signatureLifetime().isZero() && settings.signatureLifetime().compareTo(Duration.ofHours(1)) < 0) {
            throw s.error("signature_lifetime", "must be \"0s\" (no x=) or at least \"1h\", got \""
                    + ConfigValues.formatDuration(settings.signatureLifetime()) + "\"");
        }
        s.refuseUnknown();
        return settings;
    }
}
