package dev.tern.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Server key manager choosing among several certificates by the host name the client asked for with
 * SNI (RFC 6066 section 3). The first certificate whose names cover that host and whose key type the
 * handshake can use wins (an RSA and an EC certificate may share a name); only when no certificate has
 * the name, or without SNI, the first certificate in list order with a usable key type is the default. Each choice reads the certificates' current generation, so a reload is picked up by
 * the next handshake while a handshake in progress keeps the chain and key it chose.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {

    private final List<ReloadingCertificate> certificates;

    /** @param certificates in order of preference; the first is the default. Must not be empty. */
    public SniKeyManager(List<ReloadingCertificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("a server needs at least one certificate");
        }
        this.certificates = List.copyOf(certificates);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        SSLSession handshake = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
        return choose(keyType, requestedHost(handshake));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, requestedHost(engine == null ? null : engine.getHandshakeSession()));
    }

    /** The alias of the certificate to present for {@code keyType} and {@code host} (null: no SNI). */
    String choose(String keyType, String host) {
        List<ReloadingCertificate.Generation> usable = new ArrayList<>(certificates.size());
        for (ReloadingCertificate certificate : certificates) {
            usable.add(certificate.generation());
        }
        if (host != null) {
            boolean named = false;
            for (int i = 0; i < usable.size(); i++) {
                CertifiedKey key = usable.get(i).key();
                if (key.matches(host)) {
                    if (key.keyType().equals(keyType)) {
                        return alias(i, usable.get(i));
                    }
                    named = true;
                }
            }
            if (named) {
                return null; // JSSE asks again with the key type of the certificate that has this name
            }
        }
        for (int i = 0; i < usable.size(); i++) {
            if (usable.get(i).key().keyType().equals(keyType)) {
                return alias(i, usable.get(i));
            }
        }
        return null; // JSSE then tries the next key type the client accepts
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
            ReloadingCertificate.Generation generation = certificates.get(i).generation();
            if (generation.key().keyType().equals(keyType)) {
                aliases.add(alias(i, generation));
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(String[]::new);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        CertifiedKey key = lookup(alias);
        return key == null ? null : key.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        CertifiedKey key = lookup(alias);
        return key == null ? null : key.privateKey();
    }

    /** This manager only serves; Tern presents no client certificate. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    /** The SNI host name of a handshake in progress, or null when the client sent none. */
    static String requestedHost(SSLSession handshake) {
        if (!(handshake instanceof ExtendedSSLSession extended)) {
            return null;
        }
        for (SNIServerName name : extended.getRequestedServerNames()) {
            if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                try {
                    return name instanceof SNIHostName host ? host.getAsciiName()
                            : new SNIHostName(name.getEncoded()).getAsciiName();
                } catch (IllegalArgumentException malformed) {
                    return null; // treated as no SNI: the default certificate
                }
            }
        }
        return null;
    }

    // An alias names one generation of one certificate: "index.generation".
    private static String alias(int index, ReloadingCertificate.Generation generation) {
        return index + "." + generation.number();
    }

    private CertifiedKey lookup(String alias) {
        if (alias == null) {
            return null;
        }
        int dot = alias.indexOf('.');
        try {
            int index = Integer.parseInt(alias.substring(0, dot));
            long number = Long.parseLong(alias.substring(dot + 1));
            ReloadingCertificate.Generation generation = certificates.get(index).generation(number);
            return generation == null ? null : generation.key();
        } catch (RuntimeException unknown) { // not an alias of ours
            return null;
        }
    }
}
