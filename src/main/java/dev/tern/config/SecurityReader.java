package dev.tern.config;

import dev.tern.mail.IpNetwork;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads {@code [tls]}, {@code [relay]} and {@code [submission]} into {@link SecuritySettings}. */
final class SecurityReader {

    private SecurityReader() {
    }

    static SecuritySettings read(Section top, Path configDir, SecuritySettings d) throws ConfigException {
        return new SecuritySettings(certificates(top, configDir, d.certificates()),
                trustedNetworks(top, d.trustedNetworks()), allowedSenders(top, d.allowedSenders()));
    }

    private static List<SecuritySettings.CertificateFiles> certificates(Section top, Path dir,
            List<SecuritySettings.CertificateFiles> fallback) throws ConfigException {
        Optional<Section> tls = top.table("tls");
        if (tls.isEmpty()) {
            return fallback;
        }
        List<SecuritySettings.CertificateFiles> out = new ArrayList<>();
        for (Section cert : tls.get().tables("certificate").orElse(List.of())) {
            Path chain = path(cert, "fullchain", dir);
            Path key = path(cert, "privkey", dir);
            cert.refuseUnknown();
            out.add(new SecuritySettings.CertificateFiles(chain, key));
        }
        tls.get().refuseUnknown();
        return out;
    }

    private static Path path(Section table, String key, Path dir) throws ConfigException {
        String text = table.string(key, null);
        if (text == null || text.isBlank()) {
            throw table.error(key, "is required: the path of a PEM file");
        }
        Path path = Path.of(text);
        return path.isAbsolute() || dir == null ? path : dir.resolve(path).normalize();
    }

    private static List<IpNetwork> trustedNetworks(Section top, List<IpNetwork> fallback) throws ConfigException {
        Optional<Section> relay = top.table("relay");
        if (relay.isEmpty()) {
            return fallback;
        }
        List<IpNetwork> networks = new ArrayList<>();
        for (String text : relay.get().strings("trusted_networks", List.of())) {
            try {
                networks.add(IpNetwork.parse(text));
            } catch (IllegalArgumentException e) {
                throw relay.get().error("trusted_networks", e.getMessage());
            }
        }
        relay.get().refuseUnknown();
        return networks;
    }

    private static Map<String, List<String>> allowedSenders(Section top, Map<String, List<String>> fallback)
            throws ConfigException {
        Optional<Section> submission = top.table("submission");
        if (submission.isEmpty()) {
            return fallback;
        }
        Optional<Section> table = submission.get().table("allowed_senders");
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (table.isPresent()) {
            for (String user : table.get().keys()) {
                List<String> senders = table.get().strings(user, List.of());
                for (String sender : senders) {
                    if (!sender.contains("@") || sender.endsWith("@")) {
                        throw table.get().error(user, "must list addresses or @domains, got \"" + sender + "\"");
                    }
                }
                out.put(user.toLowerCase(Locale.ROOT), senders);
            }
        }
        submission.get().refuseUnknown();
        return out;
    }
}
