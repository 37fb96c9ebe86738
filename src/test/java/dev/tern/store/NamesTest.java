package dev.tern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void localPartsAreSafeDirectoryNames() throws DirectoryException {
        assertThat(Names.localPart("Alice.Smith-2_x")).isEqualTo("alice.smith-2_x");
        assertThat(Names.localPart("Jörg")).isEqualTo("jörg");
        assertThat(Names.localPart("jo\u0308rg")).isEqualTo("jörg");
        assertThat(Names.localPart("मनोज")).isEqualTo("मनोज");
        assertThat(Names.localPart("a".repeat(64))).hasSize(64);
        for (String bad : new String[] {"", ".alice", "alice.", "al..ice", "a+b", "a/b", "..", "a b", "a@b",
            "a\\b", "a\u0000b", "\u0308a", "é".repeat(33), "a:b", "a,b"}) {
            assertThatThrownBy(() -> Names.localPart(bad)).as(bad).isInstanceOf(DirectoryException.class);
        }
    }

    @Test
    void loginsAreComparedLikeRecipientsWithoutTagStripping() {
        assertThat(Names.loginKey("Alice@Bücher.EXAMPLE")).hasValue("alice@xn--bcher-kva.example");
        assertThat(Names.loginKey("alice+tag@example.com")).hasValue("alice+tag@example.com");
        assertThat(Names.loginKey("a@b@example.com")).hasValue("a@b@example.com");
        for (String bad : new String[] {"alice", "@example.com", "alice@", "", null}) {
            assertThat(Names.loginKey(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void addressesAreCanonical() throws DirectoryException {
        assertThat(Names.userAddress("Alice@Bücher.Example")).isEqualTo("alice@xn--bcher-kva.example");
        assertThat(Names.aliasAddress("@Example.COM")).isEqualTo("@example.com");
        assertThat(Names.aliasAddress("Bob+Lists@example.com")).isEqualTo("bob+lists@example.com");
        assertThat(Names.target("Bob+Tag@example.com")).isEqualTo("bob+tag@example.com");
        // a target that names no possible user is a forward: kept as written, refused only when not a mailbox
        assertThat(Names.target("O'Neil+Tag@Example.NET")).isEqualTo("O'Neil+Tag@example.net");
        assertThatThrownBy(() -> Names.localTarget("+tag@example.com")).isInstanceOf(DirectoryException.class);
        assertThatThrownBy(() -> Names.target("\"a b\"@example.net")).isInstanceOf(DirectoryException.class);
        assertThatThrownBy(() -> Names.target("a..b@example.net")).hasMessageContaining("invalid target");
        assertThatThrownBy(() -> Names.userAddress("alice")).hasMessageContaining("expected local@domain");
        assertThatThrownBy(() -> Names.userAddress("alice@")).hasMessageContaining("expected local@domain");
        assertThatThrownBy(() -> Names.aliasAddress("@")).isInstanceOf(DirectoryException.class);
    }

    @Property
    void anAcceptedLocalPartNeverHoldsPathOrSeparatorCharacters(@ForAll String text) {
        try {
            String local = Names.localPart(text);
            assertThat(local).doesNotContain("/", "\\", "..", "+", "@", ":", ",", " ", "\u0000")
                    .doesNotStartWith(".").isNotEmpty();
        } catch (DirectoryException refused) {
            assertThat(refused.getMessage()).startsWith("invalid local part");
        }
    }
}
