package dev.tern.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code [mailauth]} (authserv_id, spf_fail, dmarc_reject, dmarc_quarantine) and {@code [dmarc]}
 * (public_suffix_list) into {@link MailAuthSettings}. docs/config-mailauth.md lists the keys.
 *
 * <p>"mailauth" is the word for SPF, DKIM and DMARC, so that "auth" always means SMTP AUTH. Files written
 * before the table had that name call it {@code [mailauth]}; that name is still read, and giving both
 * is an error rather than a guess at which one wins.
 */
final class MailAuthReader {

    /** RFC 2045 §5.1 token, the unquoted form of an authserv-id (RFC 8601 §2.2). */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.0-9A-Z^_`a-z{|}~-]{1,255}");

    private MailAuthReader() {
    }

    static MailAuthSettings read(Section top, MailAuthSettings d) throws ConfigException {
        MailAuthSettings settings = d;
        Optional<Section> table = top.table(tableName(top));
        if (table.isPresent()) {
            Section s = table.get();
            String id = s.string("authserv_id", d.authservId());
            if (!id.isEmpty() && !TOKEN.matcher(id).matches()) {
                throw s.error("authserv_id", "must be a host name or other token without spaces or "
                        + "()<>@,;:\\\"/[]?=, got \"" + id + "\"");
            }
            settings = new MailAuthSettings(id,
                    s.choice("spf_fail", d.spfFail(), MailAuthSettings.SpfFail.class),
                    s.choice("dmarc_reject", d.dmarcReject(), MailAuthSettings.DmarcReject.class),
                    s.choice("dmarc_quarantine", d.dmarcQuarantine(), MailAuthSettings.DmarcQuarantine.class),
                    d.publicSuffixList(), s.bool("check_loopback", d.checkLoopback()));
            s.refuseUnknown();
        }
        Optional<Section> dmarc = top.table("dmarc");
        if (dmarc.isPresent()) {
            Section s = dmarc.get();
            Path list = suffixList(s, settings.publicSuffixList());
            s.refuseUnknown();
            settings = new MailAuthSettings(settings.authservId(), settings.spfFail(), settings.dmarcReject(),
                    settings.dmarcQuarantine(), list, settings.checkLoopback());
        }
        return settings;
    }

    /** {@code mailauth}, or the older {@code authentication} when only that one is in the file. */
    private static String tableName(Section top) throws ConfigException {
        boolean current = top.present("mailauth");
        if (top.present("authentication")) {
            if (current) {
                throw top.error("authentication", "is the older name of [mailauth]; give only [mailauth]");
            }
            return "authentication";
        }
        return "mailauth";
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
