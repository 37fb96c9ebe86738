package dev.tern.admin;

import dev.tern.io.AtomicFiles;
import dev.tern.io.PrivateFiles;
import dev.tern.policy.dkim.DkimAlgorithm;
import dev.tern.policy.dkim.DkimKey;
import dev.tern.policy.dkim.DkimKeyStore;
import dev.tern.policy.dkim.DkimKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern dkim keygen|show|list}: the DKIM signing keys under {@code <data>/dkim/<domain>/} and the DNS records
 * to publish for them. A domain signs with every key in its directory.
 */
@Command(name = "dkim", mixinStandardHelpOptions = true,
        description = "Manage the DKIM signing keys and print the DNS records to publish.",
        subcommands = {DkimCommand.Keygen.class, DkimCommand.Show.class, DkimCommand.List.class})
final class DkimCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ParameterException {
        throw TernCommand.missingSubcommand(spec);
    }

    static DkimKeyStore store(DataOptions data) throws Exception {
        return DkimKeyStore.inDataDirectory(data.config().dataDir());
    }

    /** The zone-file line for a key, from its private half. */
    static String record(DkimKey key) throws Exception {
        PublicKey pub = DkimKeys.publicKey(key.key());
        return DkimKeys.zoneLine(key.recordName(), DkimKeys.recordValue(key.algorithm(), pub));
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Create a signing key for a domain and print the DNS TXT record to publish.")
    static final class Keygen extends DataSubcommand {
        @Parameters(paramLabel = "DOMAIN", description = "The signing domain (d=), e.g. example.com.")
        String domain;
        @Option(names = "--selector", paramLabel = "S",
                description = "The selector (s=); default tern<year>, e.g. tern2026.")
        String selector;
        @Option(names = "--algorithm", paramLabel = "ALG", defaultValue = "rsa",
                description = "rsa (rsa-sha256, understood everywhere) or ed25519 (RFC 8463); default ${DEFAULT-VALUE}.")
        String algorithm;
        @Option(names = "--bits", paramLabel = "N", defaultValue = "2048",
                description = "RSA key size, 1024 to 8192; default ${DEFAULT-VALUE}.")
        int bits;

        @Override
        public Integer call() throws Exception {
            DkimAlgorithm alg = DkimAlgorithm.fromKeyType(algorithm)
                    .orElseThrow(() -> new UserError("unknown algorithm " + algorithm + ": use rsa or ed25519"));
            if (alg == DkimAlgorithm.RSA_SHA256 && (bits < DkimKeys.MIN_RSA_BITS || bits > 8192)) {
                throw new UserError("RSA key size must be between 1024 and 8192 bits, got " + bits);
            }
            String sel = selector(selector == null ? "tern" + Year.now(ZoneOffset.UTC) : selector);
            String d = domain(domain); // both checked before anything is written: they name a directory and a file
            DkimKeyStore store = store(data);
            Path file = store.path(d, sel, alg);
            if (Files.exists(file)) {
                throw new UserError("a key already exists: " + file + " (choose another --selector)");
            }
            KeyPair pair = DkimKeys.generate(alg, bits);
            writePrivate(file, DkimKeys.toPem(pair.getPrivate()));
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + file);
            out.println("publish this DNS record:");
            out.println(DkimKeys.zoneLine(sel + "._domainkey." + DkimKeyStore.domainKey(d),
                    DkimKeys.recordValue(alg, pair.getPublic())));
            return 0;
        }

        /** Owner-only from creation: missing directories 700, the file 600, written atomically. */
        private static void writePrivate(Path file, String pem) throws IOException {
            PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.write(file, pem.getBytes(StandardCharsets.US_ASCII));
        }
    }

    static String domain(String domain) throws UserError {
        try {
            return DkimKeyStore.domainKey(domain);
        } catch (IllegalArgumentException e) {
            throw new UserError("bad domain \"" + domain + "\": " + e.getMessage());
        }
    }

    static String selector(String selector) throws UserError {
        try {
            return DkimKeyStore.checkSelector(selector);
        } catch (IllegalArgumentException e) {
            throw new UserError("bad selector \"" + selector + "\": " + e.getMessage()
                    + " (RFC 6376 §3.1: letters, digits and '-', labels separated by dots)");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the DNS TXT records to publish for a domain's keys.")
    static final class Show extends DataSubcommand {
        @Parameters(paramLabel = "DOMAIN", description = "The signing domain.")
        String domain;

        @Override
        public Integer call() throws Exception {
            java.util.List<DkimKey> keys = store(data).keys(domain(domain));
            if (keys.isEmpty()) {
                throw new UserError("no DKIM key for " + domain + " (create one with 'tern dkim keygen " + domain + "')");
            }
            for (DkimKey key : keys) {
                spec.commandLine().getOut().println(record(key));
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the signing keys: domain, selector, algorithm, file.")
    static final class List extends DataSubcommand {

        @Override
        public Integer call() throws Exception {
            DkimKeyStore store = store(data);
            for (String domain : store.domains()) {
                for (DkimKeyStore.KeyFile file : store.files(domain)) {
                    spec.commandLine().getOut().println(domain + " " + file.selector() + " "
                            + file.algorithm().tagValue() + " " + file.path());
                }
            }
            return 0;
        }
    }
}
