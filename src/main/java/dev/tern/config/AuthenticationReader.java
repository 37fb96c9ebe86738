package dev.tern.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code [authentication]} (authserv_id, spf_fail, dmarc_reject, dmarc_quarantine) and {@code [dmarc]}
 * (public_suffix_list) into {@link AuthenticationSettings}. docs/config-authentication.md lists the keys.
 */
final class AuthenticationReader {

    /** RFC 2045 §5.1 token, the unquoted form of an authserv-id (RFC 8601 §2.2). */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.0-9A-Z^_`a-z{|}~-]{1,255}");

    private AuthenticationReader() {
    }

    static AuthenticationSettings read(Section top, AuthenticationSettings d) throws ConfigException {
        AuthenticationSettings settings = d;
        Optional<Section> table = top.table("authentication");
        if (table.isPresent()) {
            Section s = table.get();
            String id = s.string("authserv_id", d.authservId());
            if (!id.isEmpty() && !TOKEN.matcher(id).matches()) {
                throw s.error("authserv_id", "must be a host name or other token without spaces or "
                        + "()<>@,;:\\\"/[]?=, got \"" + id + "\"");
            }
            settings = new AuthenticationSettings(id,
                    s.choice("spf_fail", d.spfFail(), AuthenticationSettings.SpfFail.class),
                    s.choice("dmarc_reject", d.dmarcReject(), AuthenticationSettings.DmarcReject.class),
                    s.choice("dmarc_quarantine", d.dmarcQuarantine(), AuthenticationSettings.DmarcQuarantine.class),
                    d.publicSuffixList(), s.bool("check_loopback", d.checkLoopback()));
            s.refuseUnknown();
        }
        Optional<Section> dmarc = top.table("dmarc");
        if (dmarc.isPresent()) {
            Section s = dmarc.get();
            Path list = suffixList(s, settings.publicSuffixList());
            s.refuseUnknown();
            settings = new AuthenticationSettings(settings.authservId(), settings.spfFail(), settings.dmarcReject(),
                    settings.dmarcQuarantine(), list, settings.checkLoopback());
        }
        return settings;
    }

    /** An absolute path: the server may start from any directory, and this file is not ours to resolve against. */
    private static Path suffixList(Section s, Path fallback) throws ConfigException {
        String text = s.string("public_suffix_list", null);
        if (text == null) {
            return fallback;
        }
        if (text.isBlank() || text.indexOf('\0') >= 0 || !Path.of(text).isAbsolute()) {
            throw s.error("public_suffix_list", "must be an absolute file path, got \"" + text + "\"");
        }
        return Path.of(text);
    }
}
