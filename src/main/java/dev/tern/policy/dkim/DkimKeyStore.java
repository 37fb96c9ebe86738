package dev.tern.policy.dkim;

import dev.tern.mail.Domain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The private signing keys on disk: {@code <dir>/<domain>/<selector>.<rsa|ed25519>.key}, PKCS#8 PEM, where
 * {@code <dir>} is normally {@code <data>/dkim} and {@code <domain>} the lower-case A-label.
 *
 * <p>A domain signs with every key in its directory, RSA first: an RSA and an Ed25519 key give the two signatures
 * RFC 8463 suggests, and during a rollover the old and new selector both sign, so mail passes whichever record
 * the receiver sees. Each call looks at the directory listing (names, sizes, times) and reloads the keys when
 * it changed, so new or removed keys apply without a restart. Safe for concurrent use.
 */
public final class DkimKeyStore {

    private static final String SUFFIX = ".key";

    private final Path directory;
    private final Map<String, Loaded> cache = new ConcurrentHashMap<>();

    private record Loaded(List<String> fingerprint, List<DkimKey> keys) {
    }

    /** A key file's identity: its selector and algorithm, from {@code <selector>.<alg>.key}. */
    public record KeyFile(String domain, String selector, DkimAlgorithm algorithm, Path path) {
    }

    public DkimKeyStore(Path directory) {
        this.directory = directory;
    }

    /** The usual place, {@code <data>/dkim}. */
    public static DkimKeyStore inDataDirectory(Path dataDir) {
        return new DkimKeyStore(dataDir.resolve("dkim"));
    }

    public Path directory() {
        return directory;
    }

    /** The domain's directory name: the lower-case A-label ({@code Bücher.example} → {@code xn--bcher-kva.example}). */
    public static String domainKey(String domain) {
        return Domain.of(domain).key();
    }

    /** Where the key for this domain, selector and algorithm is (or would be) kept. */
    public Path path(String domain, String selector, DkimAlgorithm algorithm) {
        return directory.resolve(domainKey(domain)).resolve(selector + "." + algorithm.keyType() + SUFFIX);
    }

    /** The keys to sign the domain's mail with, RSA first; empty when it has none. */
    public List<DkimKey> keys(String domain) throws IOException {
        String key = domainKey(domain);
        List<KeyFile> files = files(key);
        List<String> fingerprint = fingerprint(files);
        Loaded loaded = cache.get(key);
        if (loaded != null && loaded.fingerprint.equals(fingerprint)) {
            return loaded.keys;
        }
        List<DkimKey> keys = new ArrayList<>();
        for (KeyFile file : files) {
            keys.add(load(file));
        }
        List<DkimKey> result = List.copyOf(keys);
        cache.put(key, new Loaded(fingerprint, result));
        return result;
    }

    /** The domain's key files, RSA first, then by selector. */
    public List<KeyFile> files(String domain) throws IOException {
        String key = domainKey(domain);
        Path dir = directory.resolve(key);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> keyFile(key, p)).flatMap(Optional::stream)
                    .sorted(Comparator.comparing((KeyFile f) -> f.algorithm()).thenComparing(KeyFile::selector))
                    .toList();
        }
    }

    /** The domains that have a key directory, sorted. */
    public List<String> domains() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Reads one key file; the message names the file and what is wrong with it. */
    public static DkimKey load(KeyFile file) throws IOException {
        String pem = Files.readString(file.path(), StandardCharsets.US_ASCII);
        try {
            return new DkimKey(file.domain(), file.selector(), file.algorithm(), DkimKeys.fromPem(pem, file.algorithm()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("bad DKIM key file " + file.path() + ": " + e.getMessage(), e);
        }
    }

    private static Optional<KeyFile> keyFile(String domain, Path path) {
        String name = path.getFileName().toString();
        if (!name.endsWith(SUFFIX) || name.startsWith(".")) {
            return Optional.empty(); // also skips the temporary files of an atomic write
        }
        String stem = name.substring(0, name.length() - SUFFIX.length());
        int dot = stem.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        return DkimAlgorithm.fromKeyType(stem.substring(dot + 1))
                .map(alg -> new KeyFile(domain, stem.substring(0, dot), alg, path));
    }

    private static List<String> fingerprint(List<KeyFile> files) throws IOException {
        List<String> out = new ArrayList<>();
        for (KeyFile f : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(f.path(), BasicFileAttributes.class);
                out.add(f.path().getFileName() + "/" + a.size() + "/" + a.lastModifiedTime().toMillis() + "/"
                        + a.fileKey());
            } catch (NoSuchFileException removedMeanwhile) {
                out.add(f.path().getFileName() + "/gone");
            }
        }
        return out;
    }
}
