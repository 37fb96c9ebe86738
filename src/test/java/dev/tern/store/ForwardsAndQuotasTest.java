package dev.tern.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aliases that lead to other domains, and per-user quotas, in the file directory. */
class ForwardsAndQuotasTest {

    private static final String HASH = "$argon2id$v=19$m=256,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

    @TempDir
    Path dir;
    private final AtomicLong now = new AtomicLong();

    private FileDirectory open() throws Exception {
        FileDirectory d = new FileDirectory(dir, List.of("example.com", "example.org"), now::get);
        d.addUser("alice@example.com", HASH);
        d.addUser("bob@example.org", HASH);
        return d;
    }

    private static Address address(String text) throws Exception {
        return Address.parseMailbox(text, true);
    }

    @Test
    void anAliasReachesLocalUsersAndForwardsApart() throws Exception {
        FileDirectory d = open();
        d.addAlias("list@example.com", List.of("alice@example.com", "Carol@Elsewhere.Example", "team@example.org"));
        d.addAlias("team@example.org", List.of("bob@example.org", "dave@far.example", "carol@elsewhere.example"));

        Resolution reach = d.expand(address("LIST@example.com"));

        assertThat(reach.users()).containsExactly("alice@example.com", "bob@example.org");
        // a user-like target is canonical in lower case, as a local one would be: the same target twice is one
        assertThat(reach.forwards()).containsExactly("carol@elsewhere.example", "dave@far.example");
        assertThat(d.resolve(address("list@example.com"))).containsExactly("alice@example.com", "bob@example.org");
    }

    @Test
    void anAliasThatOnlyForwardsReachesSomeoneButNoLocalUser() throws Exception {
        FileDirectory d = open();
        d.addAlias("postmaster@example.com", List.of("ops@provider.example"));
        d.addAlias("@example.org", List.of("catchall@provider.example"));

        assertThat(d.expand(address("postmaster@example.com")))
                .isEqualTo(new Resolution(List.of(), List.of("ops@provider.example")));
        assertThat(d.expand(address("nobody@example.org")))
                .isEqualTo(new Resolution(List.of(), List.of("catchall@provider.example")));
        assertThat(d.resolve(address("postmaster@example.com"))).isEmpty();
        assertThat(d.expand(address("nobody@example.com")).reachesAnyone()).isFalse();
        assertThat(d.expand(address("someone@provider.example")).reachesAnyone()).isFalse();
    }

    @Test
    void aChainOfAliasesEndsAtItsDepthLimitAndACycleEnds() throws Exception {
        FileDirectory d = open();
        for (int i = 0; i < DirectorySnapshot.MAX_DEPTH + 2; i++) {
            d.addAlias("hop" + i + "@example.com", List.of("hop" + (i + 1) + "@example.com"));
        }
        d.addAlias("hop" + (DirectorySnapshot.MAX_DEPTH + 2) + "@example.com", List.of("end@far.example"));
        d.addAlias("ping@example.com", List.of("pong@example.com", "x@far.example"));
        d.addAlias("pong@example.com", List.of("ping@example.com"));

        assertThat(d.expand(address("hop0@example.com")).reachesAnyone()).isFalse();
        assertThat(d.expand(address("hop5@example.com")).forwards()).containsExactly("end@far.example");
        assertThat(d.expand(address("ping@example.com")).forwards()).containsExactly("x@far.example");
    }

    @Test
    void quotasAreKeptInTheirFileAndForgottenWithTheUser() throws Exception {
        FileDirectory d = open();
        assertThat(d.quotaOf("alice@example.com")).isEmpty();

        d.setQuota("Alice@Example.com", OptionalLong.of(2L << 30));
        d.setQuota("bob@example.org", OptionalLong.of(0));

        assertThat(Files.readString(dir.resolve("quotas"), StandardCharsets.UTF_8))
                .contains("alice@example.com 2147483648\n", "bob@example.org 0\n");
        assertThat(d.quotaOf("alice@example.com")).hasValue(2L << 30);
        assertThat(d.quotaOf("bob@example.org")).hasValue(0);
        FileDirectory other = new FileDirectory(dir, List.of("example.com", "example.org"), now::get);
        assertThat(other.quotas()).containsEntry("alice@example.com", 2L << 30);

        d.setQuota("alice@example.com", OptionalLong.empty());
        d.removeUser("bob@example.org");
        assertThat(d.quotaOf("alice@example.com")).isEmpty();
        assertThat(d.quotas()).isEmpty();
    }

    @Test
    void aBadQuotasLineIsRefusedWithFileAndLine() throws Exception {
        open();
        Files.writeString(dir.resolve("quotas"), "# quotas\nalice@example.com lots\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new FileDirectory(dir, List.of("example.com"), now::get))
                .hasMessageEndingWith("quotas line 2: expected a user and a quota in octets, separated by a space");
    }
}
