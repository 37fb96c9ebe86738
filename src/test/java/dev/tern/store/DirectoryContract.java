package dev.tern.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.mail.Domain;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Directory} backend must do (the Javadoc of {@link Directory#resolve}). A backend's test
 * implements {@link #directory} and inherits these tests.
 */
public interface DirectoryContract {

    /** What a test needs the directory to hold; domains listed here are local. */
    record Setup(List<String> domains, List<String> users, Map<String, List<String>> aliases) {
    }

    /** A fresh directory holding exactly {@code setup}. */
    Directory directory(Setup setup) throws Exception;

    private static Address address(String text) {
        try {
            return Address.parseMailbox(text, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private Directory with(List<String> users, Map<String, List<String>> aliases) throws Exception {
        return directory(new Setup(List.of("example.com", "example.org", "bücher.example"), users, aliases));
    }

    @Test
    default void localDomainsCompareCaseInsensitivelyAndByALabel() throws Exception {
        Directory d = with(List.of(), Map.of());
        assertThat(d.isLocalDomain(Domain.of("example.com"))).isTrue();
        assertThat(d.isLocalDomain(Domain.of("EXAMPLE.Com"))).isTrue();
        assertThat(d.isLocalDomain(Domain.of("BÜCHER.example"))).isTrue();
        assertThat(d.isLocalDomain(Domain.of("xn--bcher-kva.example"))).isTrue();
        assertThat(d.isLocalDomain(Domain.of("example.net"))).isFalse();
        assertThat(d.isLocalDomain(Domain.of("sub.example.com"))).isFalse();
        assertThat(d.isLocalDomain(Domain.of("[127.0.0.1]"))).isFalse();
    }

    @Test
    default void aUserReachesItselfInCanonicalForm() throws Exception {
        Directory d = with(List.of("alice@example.com"), Map.of());
        assertThat(d.resolve(address("alice@example.com"))).containsExactly("alice@example.com");
        assertThat(d.resolve(address("ALICE@Example.COM"))).containsExactly("alice@example.com");
        assertThat(d.resolve(address("\"alice\"@example.com"))).containsExactly("alice@example.com");
    }

    @Test
    default void nobodyResolvesToNothing() throws Exception {
        Directory d = with(List.of("alice@example.com"), Map.of());
        assertThat(d.resolve(address("bob@example.com"))).isEmpty();
        assertThat(d.resolve(address("alice@example.org"))).isEmpty();
        assertThat(d.resolve(address("alice@example.net"))).isEmpty();
        assertThat(d.resolve(address("alice@[127.0.0.1]"))).isEmpty();
        assertThat(d.resolve(Address.NULL)).isEmpty();
    }

    @Test
    default void aTagReachesTheUserUnlessTheTaggedNameExists() throws Exception {
        Directory d = with(List.of("alice@example.com", "bob@example.com", "carol@example.com"),
                Map.of("bob+lists@example.com", List.of("carol@example.com")));
        assertThat(d.resolve(address("alice+news@example.com"))).containsExactly("alice@example.com");
        assertThat(d.resolve(address("Alice+News+More@example.com"))).containsExactly("alice@example.com");
        assertThat(d.resolve(address("bob+lists@example.com"))).containsExactly("carol@example.com");
        assertThat(d.resolve(address("bob+other@example.com"))).containsExactly("bob@example.com");
        assertThat(d.resolve(address("+news@example.com"))).isEmpty();
        assertThat(d.resolve(address("dave+news@example.com"))).isEmpty();
    }

    @Test
    default void anAliasReachesEachTargetRecursivelyAndOnce() throws Exception {
        Directory d = with(List.of("alice@example.com", "bob@example.com", "carol@example.org"), Map.of(
                "sales@example.com", List.of("alice@example.com", "team@example.com"),
                "team@example.com", List.of("bob@example.com", "alice@example.com", "carol@example.org"),
                "news@example.com", List.of("alice+news@example.com")));
        assertThat(d.resolve(address("sales@example.com")))
                .containsExactly("alice@example.com", "bob@example.com", "carol@example.org");
        assertThat(d.resolve(address("Sales+Q3@example.com")))
                .containsExactly("alice@example.com", "bob@example.com", "carol@example.org");
        assertThat(d.resolve(address("news@example.com"))).containsExactly("alice@example.com");
    }

    @Test
    default void aliasCyclesEndAndKeepWhatTheyReach() throws Exception {
        Directory d = with(List.of("alice@example.com"), Map.of(
                "a@example.com", List.of("b@example.com"),
                "b@example.com", List.of("a@example.com", "alice@example.com"),
                "loop@example.com", List.of("loop2@example.com"),
                "loop2@example.com", List.of("loop@example.com")));
        assertThat(d.resolve(address("a@example.com"))).containsExactly("alice@example.com");
        assertThat(d.resolve(address("loop@example.com"))).isEmpty();
    }

    @Test
    default void aCatchAllTakesWhatNobodyElseDoes() throws Exception {
        Directory d = with(List.of("alice@example.com", "bob@example.com"), Map.of(
                "@example.com", List.of("bob@example.com"),
                "sales@example.com", List.of("alice@example.com")));
        assertThat(d.resolve(address("alice@example.com"))).containsExactly("alice@example.com");
        assertThat(d.resolve(address("sales@example.com"))).containsExactly("alice@example.com");
        assertThat(d.resolve(address("anything@example.com"))).containsExactly("bob@example.com");
        assertThat(d.resolve(address("alice+tag@example.com"))).containsExactly("alice@example.com");
        assertThat(d.resolve(address("anything@example.org"))).isEmpty();
    }

    /** Sender identities: exact names and aliases, never the catch-all or the postmaster fallback. */
    @Test
    default void ownersAreExactNamesNotCatchAlls() throws Exception {
        Directory d = with(List.of("alice@example.com", "bob@example.com"), Map.of(
                "@example.com", List.of("bob@example.com"),
                "sales@example.com", List.of("alice@example.com", "bob@example.com")));
        assertThat(d.ownersOf(address("Alice@EXAMPLE.com"))).containsExactly("alice@example.com");
        assertThat(d.ownersOf(address("alice+lists@example.com"))).containsExactly("alice@example.com");
        assertThat(d.ownersOf(address("sales@example.com"))).containsExactly("alice@example.com", "bob@example.com");
        assertThat(d.ownersOf(address("anything@example.com"))).isEmpty();
        assertThat(d.ownersOf(address("postmaster@example.com"))).isEmpty();
        assertThat(d.ownersOf(address("alice@example.org"))).isEmpty();
    }

    @Test
    default void postmasterAlwaysResolvesInEveryLocalDomain() throws Exception {
        Directory d = with(List.of("alice@example.com"), Map.of(
                "postmaster@example.com", List.of("alice@example.com"),
                "@example.org", List.of("alice@example.com")));
        assertThat(d.resolve(address("postmaster@example.com"))).containsExactly("alice@example.com");
        assertThat(d.resolve(address("PostMaster@EXAMPLE.com"))).containsExactly("alice@example.com");
        assertThat(d.resolve(address("postmaster@example.org"))).containsExactly("postmaster@example.org");
        assertThat(d.resolve(address("postmaster@bücher.example"))).containsExactly("postmaster@xn--bcher-kva.example");
        assertThat(d.resolve(address("postmaster@example.net"))).isEmpty();
    }

    @Test
    default void postmasterWithAUserIsThatUser() throws Exception {
        Directory d = with(List.of("postmaster@example.com"), Map.of());
        assertThat(d.resolve(address("Postmaster@example.com"))).containsExactly("postmaster@example.com");
    }

    @Test
    default void internationalNamesCompareCanonically() throws Exception {
        Directory d = with(List.of("jörg@bücher.example", "ελένη@example.com"), Map.of());
        assertThat(d.resolve(address("JÖRG@BÜCHER.example"))).containsExactly("jörg@xn--bcher-kva.example");
        assertThat(d.resolve(address("jörg@xn--bcher-kva.example"))).containsExactly("jörg@xn--bcher-kva.example");
        // NFD input (o + COMBINING DIAERESIS) is the same mailbox as NFC.
        assertThat(d.resolve(address("jo\u0308rg@bücher.example"))).containsExactly("jörg@xn--bcher-kva.example");
        assertThat(d.resolve(address("ΕΛΈΝΗ@example.com"))).containsExactly("ελένη@example.com");
    }
}
