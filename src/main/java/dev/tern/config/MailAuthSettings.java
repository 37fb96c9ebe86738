package dev.tern.config;

import java.nio.file.Path;

/**
 * What Tern does with the SPF, DKIM and DMARC results of received mail ({@code [mailauth]}), and where the
 * Public Suffix List comes from ({@code [dmarc]}).
 *
 * @param authservId       the authserv-id of our Authentication-Results fields (RFC 8601 §2.5); "" means the
 *                         host name, see {@link #authservId(String)}
 * @param spfFail          SPF fail: refuse the message, or only record it
 * @param dmarcReject      DMARC fail under {@code p=reject}: refuse (honour), quarantine, or only record it
 * @param dmarcQuarantine  DMARC fail under {@code p=quarantine}: deliver to the Junk folder, or only record it
 * @param publicSuffixList an operator's copy of the Public Suffix List, or null for the one bundled with Tern
 * @param checkLoopback    whether mail from loopback clients is checked too; off by default, as OpenDMARC's
 *                         IgnoreHosts and policyd-spf's skip_addresses leave out the local machine, whose
 *                         programs send mail for every domain from 127.0.0.1
 */
public record MailAuthSettings(String authservId, SpfFail spfFail, DmarcReject dmarcReject,
                                     DmarcQuarantine dmarcQuarantine, Path publicSuffixList, boolean checkLoopback) {

    public MailAuthSettings(String authservId, SpfFail spfFail, DmarcReject dmarcReject,
                                  DmarcQuarantine dmarcQuarantine, Path publicSuffixList) {
        this(authservId, spfFail, dmarcReject, dmarcQuarantine, publicSuffixList, false);
    }

    public MailAuthSettings withCheckLoopback(boolean value) {
        return new MailAuthSettings(authservId, spfFail, dmarcReject, dmarcQuarantine, publicSuffixList, value);
    }

    public enum SpfFail { REJECT, TAG }

    public enum DmarcReject { HONOUR, QUARANTINE, TAG }

    public enum DmarcQuarantine { JUNK, TAG }

    public MailAuthSettings {
        authservId = authservId == null ? "" : authservId;
    }

    /** The host name as authserv-id, SPF failures tagged, DMARC reject honoured, quarantine to Junk, bundled list. */
    public static MailAuthSettings defaults() {
        return new MailAuthSettings("", SpfFail.TAG, DmarcReject.HONOUR, DmarcQuarantine.JUNK, null);
    }

    /** The authserv-id to use: the configured one, or the host name when none is configured. */
    public String authservId(String hostname) {
        return authservId.isEmpty() ? hostname : authservId;
    }
}
