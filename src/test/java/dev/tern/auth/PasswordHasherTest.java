package dev.tern.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    /** A cheap cost keeps the tests fast; the default is checked once. */
    private final PasswordHasher cheap = new PasswordHasher(new PasswordHasher.Cost(256, 1, 1));

    // The reference implementation's test vectors (phc-winner-argon2 src/test.c): "password", salt "somesalt".
    private static final String REFERENCE_P1 =
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
    private static final String REFERENCE_P2 =
            "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc";

    @Test
    void theDefaultCostMakesAPhcStringThatVerifies() {
        PasswordHasher hasher = new PasswordHasher();
        String phc = hasher.hash("correct horse".toCharArray());
        assertThat(phc).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify("correct horse".toCharArray(), phc)).isTrue();
        assertThat(hasher.verify("correct horsE".toCharArray(), phc)).isFalse();
        assertThat(hasher.needsRehash(phc)).isFalse();
    }

    @Test
    void referenceVectorsVerify() {
        assertThat(cheap.verify("password".toCharArray(), REFERENCE_P1)).isTrue();
        assertThat(cheap.verify("password".toCharArray(), REFERENCE_P2)).isTrue();
        assertThat(cheap.verify("passwore".toCharArray(), REFERENCE_P1)).isFalse();
    }

    @Test
    void anOlderCostStillVerifiesAndAsksForARehash() {
        PasswordHasher current = new PasswordHasher(new PasswordHasher.Cost(512, 2, 1));
        String old = cheap.hash("pw".toCharArray());
        assertThat(current.verify("pw".toCharArray(), old)).isTrue();
        assertThat(current.needsRehash(old)).isTrue();
        assertThat(current.needsRehash(REFERENCE_P1)).isTrue();
        assertThat(current.needsRehash(current.hash("pw".toCharArray()))).isFalse();
    }

    @Test
    void eachHashHasItsOwnSalt() {
        String a = cheap.hash("same".toCharArray());
        String b = cheap.hash("same".toCharArray());
        assertThat(a).isNotEqualTo(b);
        assertThat(cheap.verify("same".toCharArray(), a)).isTrue();
        assertThat(cheap.verify("same".toCharArray(), b)).isTrue();
    }

    @Test
    void charsAndUtf8BytesAgreeAndUnicodeIsNormalized() {
        String phc = cheap.hash("pässwörd".getBytes(StandardCharsets.UTF_8));
        assertThat(cheap.verify("pässwörd".toCharArray(), phc)).isTrue();
        // "a" + COMBINING DIAERESIS is the same password as "ä" after NFC (RFC 8265 §4.2).
        assertThat(cheap.verify("pa\u0308sswo\u0308rd".toCharArray(), phc)).isTrue();
    }

    @Test
    void malformedStringsNeverVerify() {
        char[] pw = "password".toCharArray();
        String[] bad = {
            null, "", "password", "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=16$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4$",
            "$argon2id$v=19$m=256,t=2,p=1$c29t!XNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65",
            "$argon2id$v=19$m=-256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            // Costs beyond the caps are refused before any work: a hostile file cannot exhaust memory.
            "$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=999,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
        };
        for (String phc : bad) {
            assertThat(cheap.verify(pw, phc)).as(String.valueOf(phc)).isFalse();
            assertThat(cheap.needsRehash(phc)).as(String.valueOf(phc)).isTrue();
        }
    }

    @Test
    void unreasonableCostsAreRefused() {
        assertThatThrownBy(() -> new PasswordHasher.Cost(4, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHasher.Cost(256, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHasher.Cost(256, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
