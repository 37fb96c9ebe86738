package dev.tern.policy.dkim;

import dev.tern.mail.Domain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The private signing keys on disk: {@code <dir>/<domain>/<selector>.<rsa|ed25519>.key}, PKCS#8 PEM, where
 * {@code <dir>} is normally {@code <data>/dkim} and {@code <domain>} the lower-case A-label.
 *
 * <p>A domain signs with every key in its directory, RSA first: an RSA and an Ed25519 key give the two signatures
 * RFC 8463 suggests, and during a rollover the old and new selector both sign, so mail passes whichever record
 * the receiver sees. Each call looks at the directory listing (names, sizes, times) and reloads the keys when
 * it changed, so new or removed keys apply without a restart. An RSA key is read into the form its {@link RsaEngine}
 * signs with (libcrypto's or the JDK's) at that moment, once per change of the files. Safe for concurrent use.
 */
public final class DkimKeyStore {

    private static final String SUFFIX = ".key";
    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");

    private final Path directory;
    private final RsaEngine rsaEngine;
    private final Map<String, Loaded> cache = new ConcurrentHashMap<>();

    private record Loaded(List<String> fingerprint, List<DkimKey> keys) {
    }

    /** A key file's identity: its selector and algorithm, from {@code <selector>.<alg>.key}. */
    public record KeyFile(String domain, String selector, DkimAlgorithm algorithm, Path path) {
    }

    /** Keys that sign rsa-sha256 with the JDK's provider (for the command line, which only reads them). */
    public DkimKeyStore(Path directory) {
        this(directory, RsaEngine.jdk());
    }

    /** Keys that sign rsa-sha256 with {@code rsaEngine}. */
    public DkimKeyStore(Path directory, RsaEngine rsaEngine) {
        this.directory = directory;
        this.rsaEngine = Objects.requireNonNull(rsaEngine, "rsaEngine");
    }

    /** The usual place, {@code <data>/dkim}; RSA keys sign with the JDK's provider. */
    public static DkimKeyStore inDataDirectory(Path dataDir) {
        return new DkimKeyStore(dataDir.resolve("dkim"));
    }

    /** The usual place, {@code <data>/dkim}; RSA keys sign with {@code rsaEngine}. */
    public static DkimKeyStore inDataDirectory(Path dataDir, RsaEngine rsaEngine) {
        return new DkimKeyStore(dataDir.resolve("dkim"), rsaEngine);
    }

    /** What signs this store's RSA keys. */
    public RsaEngine rsaEngine() {
        return rsaEngine;
    }

    public Path directory() {
        return directory;
    }

    /**
     * The domain's directory name: the lower-case A-label ({@code Bücher.example} → {@code xn--bcher-kva.example}),
     * checked to be a host name, since it becomes a directory name: {@code ../}, {@code /}, empty labels, address
     * literals and anything but letters, digits and inner hyphens are refused (RFC 6376 §3.5 {@code d=} is a
     * domain name; RFC 5321 §4.1.2 sub-domains; at most 63 octets a label and 253 in all, RFC 1035 §2.3.4).
     *
     * @throws IllegalArgumentException with the reason, fit for the operator
     */
    public static String domainKey(String domain) {
        if (domain == null || domain.isEmpty()) {
            throw new IllegalArgumentException("empty domain");
        }
        if (domain.startsWith("[")) {
            throw new IllegalArgumentException("an address literal cannot sign, a domain name is needed");
        }
        String key = Domain.of(domain).key();
        String problem = hostNameProblem(key);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return key;
    }

    /**
     * Checks a selector (RFC 6376 §3.1: {@code sub-domain *("." sub-domain)}), which becomes a file name.
     *
     * @throws IllegalArgumentException with the reason, fit for the operator
     */
    public static String checkSelector(String selector) {
        String problem = selector == null || selector.isEmpty() ? "empty selector" : hostNameProblem(selector);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return selector;
    }

    /** Null when {@code name} is dot-separated labels of ASCII letters, digits and inner hyphens, else why not. */
    private static String hostNameProblem(String name) {
        if (name.length() > MAX_NAME) {
            return "longer than " + MAX_NAME + " characters";
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty()) {
                return "empty label (a leading, trailing or doubled dot)";
            }
            if (label.length() > MAX_LABEL) {
                return "a label is longer than " + MAX_LABEL + " characters";
            }
            if (!LABEL.matcher(label).matches()) {
                return "only letters, digits and '-' inside labels, separated by dots";
            }
        }
        return null;
    }

    /**
     * Where the key for this domain, selector and algorithm is (or would be) kept; always inside the store's
     * directory, as both names are checked ({@link #domainKey}, {@link #checkSelector}).
     *
     * @throws IllegalArgumentException when the domain or the selector is not a valid name
     */
    public Path path(String domain, String selector, DkimAlgorithm algorithm) {
        Path file = directory.resolve(domainKey(domain)).resolve(checkSelector(selector) + "." + algorithm.keyType()
                + SUFFIX);
        if (!file.normalize().startsWith(directory.normalize())) {
            throw new IllegalArgumentException("not inside " + directory + ": " + file); // the checks above forbid it
        }
        return file;
    }

    /** The keys to sign the domain's mail with, RSA first; empty when it has none. */
    public List<DkimKey> keys(String domain) throws IOException {
        Optional<String> valid = validKey(domain);
        if (valid.isEmpty()) {
            return List.of(); // no key can be stored under a name that is no host name
        }
        String key = valid.get();
        List<KeyFile> files = files(key);
        List<String> fingerprint = fingerprint(files);
        Loaded loaded = cache.get(key);
        if (loaded != null && loaded.fingerprint.equals(fingerprint)) {
            return loaded.keys;
        }
        List<DkimKey> keys = new ArrayList<>();
        for (KeyFile file : files) {
            keys.add(load(file, rsaEngine));
        }
        List<DkimKey> result = List.copyOf(keys);
        cache.put(key, new Loaded(fingerprint, result));
        return result;
    }

    /** The domain's key files, RSA first, then by selector. */
    public List<KeyFile> files(String domain) throws IOException {
        Optional<String> valid = validKey(domain);
        Path dir = valid.map(directory::resolve).orElse(null);
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> keyFile(valid.get(), p)).flatMap(Optional::stream)
                    .sorted(Comparator.comparing((KeyFile f) -> f.algorithm()).thenComparing(KeyFile::selector))
                    .toList();
        }
    }

    private static Optional<String> validKey(String domain) {
        try {
            return Optional.of(domainKey(domain));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
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

    /** Reads one key file for the JDK's provider; the message names the file and what is wrong with it. */
    public static DkimKey load(KeyFile file) throws IOException {
        return load(file, RsaEngine.jdk());
    }

    /**
     * Reads one key file, an RSA key in the form {@code engine} signs with; the message names the file and what is
     * wrong with it.
     */
    public static DkimKey load(KeyFile file, RsaEngine engine) throws IOException {
        String pem = Files.readString(file.path(), StandardCharsets.US_ASCII);
        try {
            PrivateKey key = DkimKeys.fromPem(pem, file.algorithm());
            if (file.algorithm() == DkimAlgorithm.RSA_SHA256) {
                key = engine.signingKey(key, file.selector() + "._domainkey." + file.domain());
            }
            return new DkimKey(file.domain(), file.selector(), file.algorithm(), key);
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
