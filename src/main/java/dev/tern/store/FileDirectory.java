package dev.tern.store;

import dev.tern.io.PrivateFiles;
import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The embedded directory: files {@code domains}, {@code users}, {@code aliases} and {@code quotas} in the data directory
 * (format in {@link DirectoryFiles}), plus the domains of the config file.
 *
 * <p>Lookups read an immutable {@link DirectorySnapshot} without locking. At most once a second a lookup
 * also compares the files' size, modification time and file key with those of the snapshot (a stat
 * call each) and, when one changed, reads all the files and swaps in a new snapshot; so changes made by the
 * {@code tern} command in another process are seen within about a second, without a restart. A file that
 * no longer parses keeps the previous snapshot in force ({@link #reloadProblem()} says why).
 *
 * <p>Changes hold a lock file ({@code .directory.lock}) so two commands never lose each other's edit,
 * re-read the files under it, and replace a file atomically ({@code io.AtomicFiles}).
 */
public final class FileDirectory implements Directory, DirectoryAdmin, Credentials {

    static final long CHECK_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
    private static final ConcurrentHashMap<Path, ReentrantLock> WRITERS = new ConcurrentHashMap<>();

    private final Path dir;
    private final Set<String> configDomains;
    private final LongSupplier ticker;
    private final ReentrantLock reloadLock = new ReentrantLock();
    private volatile Loaded current;
    private volatile long nextCheck;
    private volatile String reloadProblem;

    private record Loaded(DirectorySnapshot snapshot, List<DirectoryFiles.Stamp> stamps) {
    }

    /**
     * Reads the directory in {@code dataDir} (absent files are empty).
     *
     * @param dataDir       the data directory ({@code data_dir} of the config)
     * @param configDomains the {@code domains} of the config file; always local, never removable here
     * @throws IOException when a file cannot be read or parsed (the message names file and line)
     * @throws IllegalArgumentException for a config domain that is not a domain name (the loader refuses
     *                                  those first)
     */
    public FileDirectory(Path dataDir, Collection<String> configDomains) throws IOException {
        this(dataDir, configDomains, System::nanoTime);
    }

    FileDirectory(Path dataDir, Collection<String> configDomains, LongSupplier ticker) throws IOException {
        this.dir = dataDir;
        this.ticker = ticker;
        Set<String> keys = new TreeSet<>();
        for (String domain : configDomains) {
            try {
                keys.add(Names.domain(domain));
            } catch (DirectoryException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        this.configDomains = Set.copyOf(keys);
        List<DirectoryFiles.Stamp> stamps = DirectoryFiles.stamps(dir);
        this.current = new Loaded(new DirectorySnapshot(this.configDomains, DirectoryFiles.read(dir)), stamps);
        this.nextCheck = ticker.getAsLong() + CHECK_INTERVAL_NANOS;
    }

    public Path dataDir() {
        return dir;
    }

    @Override
    public boolean isLocalDomain(Domain domain) {
        return domain != null && !domain.isAddressLiteral() && snapshot().isLocal(domain.key());
    }

    @Override
    public List<String> ownersOf(Address address) {
        if (address == null || address.isNull() || address.domain().isAddressLiteral()) {
            return List.of();
        }
        return snapshot().owners(Names.localKey(address.unquotedLocalPart()), address.domain().key());
    }

    @Override
    public List<String> resolve(Address recipient) {
        if (recipient == null || recipient.isNull() || recipient.domain().isAddressLiteral()) {
            return List.of();
        }
        return snapshot().resolve(Names.localKey(recipient.unquotedLocalPart()), recipient.domain().key());
    }

    @Override
    public Resolution expand(Address recipient) {
        if (recipient == null || recipient.isNull() || recipient.domain().isAddressLiteral()) {
            return Resolution.NOBODY;
        }
        return snapshot().expand(Names.localKey(recipient.unquotedLocalPart()), recipient.domain().key());
    }

    @Override
    public java.util.OptionalLong quotaOf(String user) {
        Long quota = snapshot().quota(user);
        return quota == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(quota);
    }

    @Override
    public Optional<String> passwordHash(String login) {
        return password(login).map(StoredPassword::hash);
    }

    @Override
    public Optional<ScramCredential> scramSha256(String login) {
        return password(login).flatMap(StoredPassword::scramSha256);
    }

    private Optional<StoredPassword> password(String login) {
        DirectorySnapshot snapshot = snapshot();
        return Names.loginKey(login).map(snapshot::password);
    }

    /** Why the last reload was refused (the previous snapshot stays in force), or empty when all is well. */
    public Optional<String> reloadProblem() {
        snapshot();
        return Optional.ofNullable(reloadProblem);
    }

    private DirectorySnapshot snapshot() {
        long now = ticker.getAsLong();
        if (now - nextCheck >= 0 && reloadLock.tryLock()) {
            try {
                if (now - nextCheck >= 0) {
                    nextCheck = now + CHECK_INTERVAL_NANOS;
                    refresh();
                }
            } finally {
                reloadLock.unlock();
            }
        }
        return current.snapshot();
    }

    /** Stat first, then read: a change made between the two is newer than the stamps and seen next time. */
    private void refresh() {
        Loaded loaded = current;
        try {
            List<DirectoryFiles.Stamp> stamps = DirectoryFiles.stamps(dir);
            if (stamps.equals(loaded.stamps())) {
                return;
            }
            try {
                current = new Loaded(new DirectorySnapshot(configDomains, DirectoryFiles.read(dir)), stamps);
                reloadProblem = null;
            } catch (IOException e) {
                current = new Loaded(loaded.snapshot(), stamps); // retry only once the file changes again
                reloadProblem = e.getMessage();
            }
        } catch (IOException e) {
            reloadProblem = e.getMessage();
        }
    }

    // ---- administration -------------------------------------------------------------------------------

    @Override
    public List<String> domains() throws IOException {
        Set<String> all = new TreeSet<>(configDomains);
        all.addAll(DirectoryFiles.read(dir).domains());
        return List.copyOf(all);
    }

    @Override
    public String addDomain(String domain) throws DirectoryException, IOException {
        String key = Names.domain(domain);
        edit(data -> {
            if (configDomains.contains(key) || data.domains().contains(key)) {
                throw new DirectoryException("domain " + key + " is already local");
            }
            TreeSet<String> domains = new TreeSet<>(data.domains());
            domains.add(key);
            return data.withDomains(domains);
        });
        return key;
    }

    @Override
    public String removeDomain(String domain) throws DirectoryException, IOException {
        String key = Names.domain(domain);
        edit(data -> {
            if (!data.domains().contains(key)) {
                throw new DirectoryException(configDomains.contains(key)
                        ? "domain " + key + " is listed in the config file; remove it there"
                        : "domain " + key + " is not a local domain");
            }
            if (!configDomains.contains(key)) {
                refuseWhileInUse(data, key);
            }
            TreeSet<String> domains = new TreeSet<>(data.domains());
            domains.remove(key);
            return data.withDomains(domains);
        });
        return key;
    }

    private static void refuseWhileInUse(DirectoryData data, String domain) throws DirectoryException {
        long users = data.users().keySet().stream().filter(u -> Names.domainOf(u).equals(domain)).count();
        long aliases = data.aliases().keySet().stream().filter(a -> Names.domainOf(a).equals(domain)).count();
        if (users + aliases > 0) {
            throw new DirectoryException("domain " + domain + " still has " + users + " user(s) and " + aliases
                    + " alias(es); remove them first");
        }
    }

    @Override
    public List<String> users() throws IOException {
        return List.copyOf(DirectoryFiles.read(dir).users().keySet());
    }

    @Override
    public String addUser(String address, StoredPassword password) throws DirectoryException, IOException {
        String user = Names.userAddress(address);
        checkHash(password.hash());
        edit(data -> {
            requireLocal(data, Names.domainOf(user));
            if (data.users().containsKey(user)) {
                throw new DirectoryException("user " + user + " already exists");
            }
            if (data.aliases().containsKey(user)) {
                throw new DirectoryException(user + " is an alias; remove the alias first");
            }
            TreeMap<String, StoredPassword> users = new TreeMap<>(data.users());
            users.put(user, password);
            return data.withUsers(users);
        });
        return user;
    }

    @Override
    public String setPassword(String address, StoredPassword password) throws DirectoryException, IOException {
        String user = Names.userAddress(address);
        checkHash(password.hash());
        edit(data -> {
            requireUser(data, user);
            TreeMap<String, StoredPassword> users = new TreeMap<>(data.users());
            users.put(user, password);
            return data.withUsers(users);
        });
        return user;
    }

    @Override
    public String removeUser(String address) throws DirectoryException, IOException {
        String user = Names.userAddress(address);
        edit(data -> {
            requireUser(data, user);
            TreeMap<String, StoredPassword> users = new TreeMap<>(data.users());
            users.remove(user);
            TreeMap<String, Long> quotas = new TreeMap<>(data.quotas());
            quotas.remove(user);
            return data.withUsers(users).withQuotas(quotas);
        });
        return user;
    }

    @Override
    public SortedMap<String, Long> quotas() throws IOException {
        return DirectoryFiles.read(dir).quotas();
    }

    @Override
    public String setQuota(String address, OptionalLong quota) throws DirectoryException, IOException {
        String user = Names.userAddress(address);
        if (quota.isPresent() && quota.getAsLong() < 0) {
            throw new DirectoryException("a quota cannot be negative");
        }
        edit(data -> {
            requireUser(data, user);
            TreeMap<String, Long> quotas = new TreeMap<>(data.quotas());
            if (quota.isPresent()) {
                quotas.put(user, quota.getAsLong());
            } else {
                quotas.remove(user);
            }
            return data.withQuotas(quotas);
        });
        return user;
    }

    @Override
    public SortedMap<String, List<String>> aliases() throws IOException {
        return DirectoryFiles.read(dir).aliases();
    }

    @Override
    public String addAlias(String alias, List<String> targets) throws DirectoryException, IOException {
        String name = Names.aliasAddress(alias);
        if (targets.isEmpty()) {
            throw new DirectoryException("alias " + name + " needs at least one target");
        }
        List<String> canonical = new ArrayList<>();
        for (String target : targets) {
            canonical.add(Names.target(target));
        }
        edit(data -> {
            requireLocal(data, Names.domainOf(name));
            if (data.users().containsKey(name)) {
                throw new DirectoryException(name + " is a user; an alias cannot have the same name");
            }
            Set<String> merged = new LinkedHashSet<>(data.aliases().getOrDefault(name, List.of()));
            for (String target : canonical) {
                // A target in another domain is a forward (sent on by SMTP); one of ours must name a user-like
                // address, as a recipient here would.
                if (isLocal(data, Names.domainOf(target))) {
                    Names.localTarget(target);
                }
                if (target.equals(name)) {
                    throw new DirectoryException("alias " + name + " cannot point to itself");
                }
                merged.add(target);
            }
            TreeMap<String, List<String>> aliases = new TreeMap<>(data.aliases());
            aliases.put(name, List.copyOf(merged));
            return data.withAliases(aliases);
        });
        return name;
    }

    @Override
    public String removeAlias(String alias) throws DirectoryException, IOException {
        String name = Names.aliasAddress(alias);
        edit(data -> {
            if (!data.aliases().containsKey(name)) {
                throw new DirectoryException("no such alias: " + name);
            }
            TreeMap<String, List<String>> aliases = new TreeMap<>(data.aliases());
            aliases.remove(name);
            return data.withAliases(aliases);
        });
        return name;
    }

    private boolean isLocal(DirectoryData data, String domain) {
        return configDomains.contains(domain) || data.domains().contains(domain);
    }

    private void requireLocal(DirectoryData data, String domain) throws DirectoryException {
        if (!isLocal(data, domain)) {
            throw new DirectoryException("domain " + domain + " is not a local domain; add it first");
        }
    }

    private static void requireUser(DirectoryData data, String user) throws DirectoryException {
        if (!data.users().containsKey(user)) {
            throw new DirectoryException("no such user: " + user);
        }
    }

    private static void checkHash(String hash) throws DirectoryException {
        if (hash.isEmpty() || !hash.strip().equals(hash) || hash.chars().anyMatch(c -> c <= ' ')) {
            throw new DirectoryException("a password hash must be one word without spaces");
        }
    }

    @FunctionalInterface
    private interface Edit {
        DirectoryData apply(DirectoryData data) throws DirectoryException;
    }

    /**
     * Read, change, write, under a lock held across processes (the lock file) and threads (a lock per
     * directory: one JVM cannot hold two overlapping file locks). Then the snapshot is refreshed at once.
     */
    private void edit(Edit edit) throws DirectoryException, IOException {
        PrivateFiles.createDirectories(dir);
        ReentrantLock writer = WRITERS.computeIfAbsent(dir.toRealPath(), p -> new ReentrantLock());
        writer.lock();
        try (FileChannel channel = FileChannel.open(dir.resolve(".directory.lock"),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PrivateFiles.fileAttributes(dir));
             FileLock lock = channel.lock()) {
            DirectoryData before = DirectoryFiles.read(dir);
            DirectoryData after = edit.apply(before);
            if (!after.domains().equals(before.domains())) {
                DirectoryFiles.writeDomains(dir, after.domains());
            }
            if (!after.users().equals(before.users())) {
                DirectoryFiles.writeUsers(dir, after.users());
            }
            if (!after.aliases().equals(before.aliases())) {
                DirectoryFiles.writeAliases(dir, after.aliases());
            }
            if (!after.quotas().equals(before.quotas())) {
                DirectoryFiles.writeQuotas(dir, after.quotas());
            }
        } finally {
            writer.unlock();
        }
        reloadLock.lock();
        try {
            refresh();
        } finally {
            reloadLock.unlock();
        }
    }
}
