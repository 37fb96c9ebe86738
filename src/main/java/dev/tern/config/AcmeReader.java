package dev.tern.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads {@code [acme]} into {@link AcmeSettings}; docs/config-acme.md lists the keys. */
final class AcmeReader {

    private AcmeReader() {
    }

    static AcmeSettings read(Section top, Path configDir, AcmeSettings d) throws ConfigException {
        Optional<Section> table = top.table("acme");
        if (table.isEmpty()) {
            return d;
        }
        Section s = table.get();
        String directoryText = s.string("directory", null);
        URI directory = directoryText == null ? null : directory(s, directoryText);
        // The CA's terms are a contract (RFC 8555 §7.3 termsOfServiceAgreed): the operator says yes, not Tern.
        boolean accepted = s.bool("accept_terms", false);
        String email = s.string("email", d.email());
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw s.error("email", "must be an email address, got \"" + email + "\"");
        }
        List<String> names = new ArrayList<>();
        for (String name : s.strings("names", d.names())) {
            check(s, "names", Syntax.hostnameProblem(name));
            names.add(name.toLowerCase(Locale.ROOT));
        }
        String httpAddress = s.string("http_address", d.httpAddress());
        check(s, "http_address", Syntax.ipProblem(httpAddress));
        int httpPort = s.integer("http_port", d.httpPort(), 0, 65535);
        Duration renewBefore = s.duration("renew_before", d.renewBefore(), Duration.ofHours(1), Duration.ofDays(3650));
        Duration checkInterval = s.duration("check_interval", d.checkInterval(), Duration.ofSeconds(1),
                Duration.ofDays(7));
        String ca = s.string("ca_certificates", null);
        Path caCertificates = ca == null ? null : configDir.resolve(ca);
        s.refuseUnknown();
        if (directory == null) {
            // Without a directory ACME is off, and the defaults (as `tern config defaults` prints them) load
            // back as they are; a table that says what to order but not from whom is a mistake worth naming.
            if (accepted || email != null || !names.isEmpty()) {
                throw s.error("directory", "is required: \"letsencrypt\", \"letsencrypt-staging\" or the CA's "
                        + "directory URL");
            }
            return d;
        }
        if (!accepted) {
            throw s.error("accept_terms", "must be true: read the CA's terms of service (its directory names "
                    + "them), then set accept_terms = true");
        }
        return new AcmeSettings(directory, email, names, httpAddress, httpPort, renewBefore, checkInterval,
                caCertificates);
    }

    private static URI directory(Section s, String text) throws ConfigException {
        switch (text) {
            case "letsencrypt" -> {
                return AcmeSettings.LETS_ENCRYPT;
            }
            case "letsencrypt-staging" -> {
                return AcmeSettings.LETS_ENCRYPT_STAGING;
            }
            default -> {
                try {
                    URI uri = new URI(text);
                    // RFC 8555 §6.1: ACME runs over HTTPS only.
                    if ("https".equals(uri.getScheme()) && uri.getHost() != null) {
                        return uri;
                    }
                } catch (URISyntaxException e) {
                    // refused below
                }
                throw s.error("directory", "must be \"letsencrypt\", \"letsencrypt-staging\" or an https:// URL, got \""
                        + text + "\"");
            }
        }
    }

    private static void check(Section section, String key, String problem) throws ConfigException {
        if (problem != null) {
            throw section.error(key, problem);
        }
    }
}
