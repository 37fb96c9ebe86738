package dev.tern.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Where server certificates come from: PEM files (watched for renewal) or a self-signed fallback. */
public final class TlsCertificates {

    /** How often, at most, a handshake stats the PEM files to notice a renewal. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);

    private TlsCertificates() {
    }

    /** Reads one chain and key once, checking that they belong together. */
    public static CertifiedKey load(Path fullchain, Path privkey) throws TlsFileException {
        return PemLoader.load(fullchain, privkey);
    }

    /** Loads the files now (fails if they are unusable) and reloads them when they change. */
    public static ReloadingCertificate watch(Path fullchain, Path privkey) throws TlsFileException {
        return watch(fullchain, privkey, DEFAULT_CHECK_INTERVAL);
    }

    /** As {@link #watch(Path, Path)}, checking the files at most once per {@code checkEvery}. */
    public static ReloadingCertificate watch(Path fullchain, Path privkey, Duration checkEvery)
            throws TlsFileException {
        if (checkEvery.isNegative()) {
            throw new IllegalArgumentException("negative check interval: " + checkEvery);
        }
        return ReloadingCertificate.open(fullchain, privkey, checkEvery);
    }

    /**
     * The certificate for when none is configured: {@code selfsigned-fullchain.pem} and
     * {@code selfsigned-privkey.pem} (mode 600) in {@code dir}, made on first use for {@code hostname}
     * (EC P-256, one year), reused afterwards, made again when expired, unreadable or for another name.
     */
    public static ReloadingCertificate selfSigned(Path dir, String hostname) throws IOException {
        Path chain = SelfSigned.ensure(dir, hostname);
        return watch(chain, dir.resolve(SelfSigned.KEY_FILE));
    }
}
