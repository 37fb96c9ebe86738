package dev.tern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.mail.Address;
import dev.tern.mail.Domain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDirectoryTest implements DirectoryContract {

    private static final String HASH = "$argon2id$v=19$m=256,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

    @TempDir
    Path dir;

    /** A clock the test moves by hand, so reloading is checked without sleeping. */
    private final AtomicLong now = new AtomicLong();

    @Override
    public Directory directory(Setup setup) throws Exception {
        FileDirectory d = new FileDirectory(dir, setup.domains(), now::get);
        for (String user : setup.users()) {
            d.addUser(user, HASH);
        }
        for (Map.Entry<String, List<String>> alias : setup.aliases().entrySet()) {
            d.addAlias(alias.getKey(), alias.getValue());
        }
        return d;
    }

    private FileDirectory open(String... configDomains) throws IOException {
        return new FileDirectory(dir, List.of(configDomains), now::get);
    }

    private static Address address(String text) throws Exception {
        return Address.parseMailbox(text, true);
    }

    private void aSecondPasses() {
        now.addAndGet(FileDirectory.CHECK_INTERVAL_NANOS);
    }

    @Test
    void anotherInstanceSeesChangesAfterItsNextCheck() throws Exception {
        FileDirectory server = open("example.com");
        FileDirectory cli = open("example.com");
        assertThat(server.resolve(address("alice@example.com"))).isEmpty();

        cli.addUser("alice@example.com", HASH);
        cli.addDomain("example.net");
        assertThat(cli.resolve(address("alice@example.com"))).containsExactly("alice@example.com");
        assertThat(server.resolve(address("alice@example.com"))).as("checked at most once a second").isEmpty();

        aSecondPasses();
        assertThat(server.resolve(address("alice@example.com"))).containsExactly("alice@example.com");
        assertThat(server.isLocalDomain(Domain.of("example.net"))).isTrue();

        cli.removeUser("alice@example.com");
        cli.addAlias("alice@example.com", List.of("postmaster@example.com"));
        aSecondPasses();
        assertThat(server.resolve(address("alice@example.com"))).containsExactly("postmaster@example.com");
        assertThat(server.passwordHash("alice@example.com")).isEmpty();
    }

    @Test
    void aBrokenEditKeepsTheLastGoodSnapshotAndSaysWhy() throws Exception {
        FileDirectory server = open("example.com");
        server.addUser("alice@example.com", HASH);
        Files.writeString(dir.resolve("users"), "alice@example.com\n", StandardCharsets.UTF_8);
        aSecondPasses();
        assertThat(server.resolve(address("alice@example.com"))).containsExactly("alice@example.com");
        assertThat(server.reloadProblem()).hasValueSatisfying(p -> assertThat(p).contains("users line 1"));

        Files.writeString(dir.resolve("users"), "bob@example.com " + HASH + "\n", StandardCharsets.UTF_8);
        aSecondPasses();
        assertThat(server.resolve(address("bob@example.com"))).containsExactly("bob@example.com");
        assertThat(server.reloadProblem()).isEmpty();
    }

    @Test
    void aBrokenFileAtStartIsRefusedWithFileAndLine() throws Exception {
        Files.writeString(dir.resolve("aliases"), "# comment\n\nsales@example.com alice@example.com\n");
        assertThatThrownBy(() -> open("example.com")).isInstanceOf(IOException.class)
                .hasMessageEndingWith("aliases line 3: expected \"alias: target, target...\"");
        Files.writeString(dir.resolve("aliases"), "sales@example.com: not an address\n");
        assertThatThrownBy(() -> open("example.com")).hasMessageContaining("aliases line 1: invalid target");
    }

    @Test
    void filesAreReadableTextInTheDocumentedFormat() throws Exception {
        FileDirectory d = open("example.com");
        d.addDomain("Bücher.Example");
        d.addUser("Alice@Example.com", HASH);
        d.addAlias("@bücher.example", List.of("alice@example.com"));
        d.addAlias("sales@example.com", List.of("alice@example.com", "postmaster@example.com"));
        assertThat(Files.readAllLines(dir.resolve("domains"))).endsWith("xn--bcher-kva.example");
        assertThat(Files.readAllLines(dir.resolve("users"))).endsWith("alice@example.com " + HASH);
        assertThat(Files.readAllLines(dir.resolve("aliases"))).endsWith(
                "@xn--bcher-kva.example: alice@example.com",
                "sales@example.com: alice@example.com, postmaster@example.com");
        assertThat(open("example.com").aliases()).isEqualTo(d.aliases());
    }

    @Test
    void scramVerifiersAreStoredBesideTheHashAndFoundByLogin() throws Exception {
        FileDirectory d = open("example.com");
        d.addUser("Alice@Example.com", StoredPassword.of(HASH, ScramCredentialTest.SAMPLE));
        d.addUser("bob@example.com", HASH);
        assertThat(Files.readAllLines(dir.resolve("users"))).containsSequence(
                "alice@example.com " + HASH + " " + ScramCredentialTest.SAMPLE.encode(),
                "bob@example.com " + HASH);
        FileDirectory again = open("example.com");
        assertThat(again.scramSha256("ALICE@example.COM")).hasValue(ScramCredentialTest.SAMPLE);
        assertThat(again.passwordHash("alice@example.com")).hasValue(HASH);
        assertThat(again.scramSha256("bob@example.com")).as("no verifier: PLAIN and LOGIN only").isEmpty();
        assertThat(again.scramSha256("nobody@example.com")).isEmpty();
        assertThat(again.scramSha256("alice")).isEmpty();

        again.setPassword("alice@example.com", StoredPassword.of("$new"));
        assertThat(again.scramSha256("alice@example.com")).as("a new hash alone drops the old verifier").isEmpty();
        again.setPassword("bob@example.com", StoredPassword.of("$new", ScramCredentialTest.SAMPLE));
        assertThat(open("example.com").scramSha256("bob@example.com")).hasValue(ScramCredentialTest.SAMPLE);
    }

    @Test
    void usersFilesWithoutScramVerifiersStayReadableAndBadOnesAreNamed() throws Exception {
        Files.writeString(dir.resolve("users"), "# old file\nalice@example.com " + HASH + "\n");
        FileDirectory d = open("example.com");
        assertThat(d.passwordHash("alice@example.com")).hasValue(HASH);
        assertThat(d.scramSha256("alice@example.com")).isEmpty();

        Files.writeString(dir.resolve("users"), "alice@example.com " + HASH + " SCRAM-SHA-256$12:c2FsdA==$x:y\n");
        assertThatThrownBy(() -> open("example.com")).hasMessageContaining("users line 1: bad SCRAM verifier");
        Files.writeString(dir.resolve("users"), "alice@example.com " + HASH + " SCRAM-SHA-256$4096:x y z\n");
        assertThatThrownBy(() -> open("example.com")).hasMessageContaining("users line 1: expected an address");
    }

    @Test
    void theUsersFileIsForItsOwnerOnly() throws Exception {
        open("example.com").addUser("alice@example.com", HASH);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve("users")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void adminChangesAreCheckedWithClearReasons() throws Exception {
        FileDirectory d = open("example.com");
        d.addUser("alice@example.com", HASH);
        assertRefused(() -> d.addUser("alice@EXAMPLE.com", HASH), "user alice@example.com already exists");
        assertRefused(() -> d.addUser("bob@example.net", HASH), "domain example.net is not a local domain");
        assertRefused(() -> d.addUser("bob+x@example.com", HASH), "'+' is reserved for tags");
        assertRefused(() -> d.addUser("bob@example.com", "two words"), "one word");
        assertRefused(() -> d.setPasswordHash("bob@example.com", HASH), "no such user: bob@example.com");
        assertRefused(() -> d.removeUser("bob@example.com"), "no such user: bob@example.com");
        assertRefused(() -> d.addAlias("alice@example.com", List.of("postmaster@example.com")), "is a user");
        assertRefused(() -> d.addAlias("x@example.com", List.of("x@example.com")), "cannot point to itself");
        assertRefused(() -> d.addAlias("x@example.com", List.of("some one@example.net")), "invalid target");
        assertRefused(() -> d.addAlias("x@example.com", List.of("o'neil@example.com")), "invalid target");
        assertRefused(() -> d.addAlias("x@example.com", List.of()), "at least one target");
        assertRefused(() -> d.removeAlias("x@example.com"), "no such alias: x@example.com");
        d.addAlias("x@example.com", List.of("alice@example.com"));
        assertRefused(() -> d.addUser("x@example.com", HASH), "is an alias");
        assertRefused(() -> d.addDomain("EXAMPLE.com"), "domain example.com is already local");
        assertRefused(() -> d.addDomain("[127.0.0.1]"), "address literals");
        assertRefused(() -> d.addDomain("bad_domain.com"), "invalid domain");
        assertRefused(() -> d.removeDomain("example.com"), "listed in the config file");
        assertRefused(() -> d.removeDomain("example.net"), "not a local domain");
        d.addDomain("example.net");
        d.addUser("bob@example.net", HASH);
        assertRefused(() -> d.removeDomain("example.net"), "still has 1 user(s) and 0 alias(es)");
        d.removeUser("bob@example.net");
        assertThat(d.removeDomain("Example.NET")).isEqualTo("example.net");
        assertThat(d.domains()).containsExactly("example.com");
    }

    @Test
    void aliasTargetsAccumulateAndPasswordsChange() throws Exception {
        FileDirectory d = open("example.com");
        d.addUser("alice@example.com", HASH);
        d.addUser("bob@example.com", HASH);
        d.addAlias("team@example.com", List.of("alice@example.com"));
        d.addAlias("team@example.com", List.of("bob@example.com", "alice@example.com"));
        assertThat(d.aliases()).containsEntry("team@example.com", List.of("alice@example.com", "bob@example.com"));
        d.setPasswordHash("Alice@example.com", "$new");
        assertThat(d.passwordHash("ALICE@example.com")).hasValue("$new");
        assertThat(d.passwordHash("alice+tag@example.com")).isEmpty();
        assertThat(d.passwordHash("alice")).isEmpty();
        assertThat(d.users()).containsExactly("alice@example.com", "bob@example.com");
    }

    @Test
    void aliasChainsStopAtTheDepthLimit() throws Exception {
        FileDirectory d = open("example.com");
        d.addUser("end@example.com", HASH);
        List<String> chain = new ArrayList<>();
        for (int i = 0; i <= DirectorySnapshot.MAX_DEPTH; i++) {
            chain.add("a" + i + "@example.com");
        }
        for (int i = 0; i < chain.size() - 1; i++) {
            d.addAlias(chain.get(i), List.of(chain.get(i + 1)));
        }
        d.addAlias(chain.get(chain.size() - 1), List.of("end@example.com"));
        assertThat(d.resolve(address(chain.get(1)))).containsExactly("end@example.com");
        assertThat(d.resolve(address(chain.get(0)))).as("one level too deep").isEmpty();
    }

    @Test
    void configDomainsAndLocalhostDefaultAreLocal() throws Exception {
        FileDirectory d = open("localhost");
        assertThat(d.isLocalDomain(Domain.of("LOCALHOST"))).isTrue();
        assertThat(d.resolve(address("postmaster@localhost"))).containsExactly("postmaster@localhost");
        assertThat(d.domains()).containsExactly("localhost");
    }

    @Test
    void concurrentWritersFromTwoInstancesLoseNothing() throws Exception {
        FileDirectory a = open("example.com");
        FileDirectory b = open("example.com");
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 4; t++) {
            FileDirectory d = t % 2 == 0 ? a : b;
            int id = t;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 5; i++) {
                        d.addUser("u" + id + "-" + i + "@example.com", HASH);
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
        assertThat(a.users()).hasSize(20);
    }

    private static void assertRefused(ThrowingCall call, String reason) {
        assertThatThrownBy(call::run).isInstanceOf(DirectoryException.class).hasMessageContaining(reason);
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
