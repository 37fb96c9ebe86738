package dev.tern.auth;

import static dev.tern.auth.Fixtures.CHEAP;
import static dev.tern.auth.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.store.StoredPassword;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordCheckTest {

    private final String aliceHash = CHEAP.hash("correct horse".toCharArray());
    private final MemoryCredentials credentials = new MemoryCredentials()
            .add("alice@example.com", StoredPassword.of(aliceHash))
            .add("jörg@example.com", StoredPassword.of(CHEAP.hash("Jörg's café".toCharArray())));

    /** Every hash a check verified against: the work done, seen without a clock. */
    private final List<String> verified = new ArrayList<>();

    private final PasswordCheck check = new PasswordCheck(credentials, CHEAP, new PasswordCheck.Verifier() {
        @Override
        public boolean verify(char[] password, String hash) {
            verified.add(hash);
            return CHEAP.verify(password, hash);
        }

        @Override
        public boolean verify(byte[] password, String hash) {
            verified.add(hash);
            return CHEAP.verify(password, hash);
        }
    });

    @Test
    void theRightPasswordGivesTheCanonicalUser() {
        assertThat(check.check("Alice@EXAMPLE.com", utf8("correct horse"))).hasValue("alice@example.com");
        assertThat(verified).containsExactly(aliceHash);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserDoTheSameWork() {
        assertThat(check.check("alice@example.com", utf8("wrong"))).isEmpty();
        assertThat(check.check("nobody@example.com", utf8("wrong"))).isEmpty();
        assertThat(check.check("not an address", utf8("wrong"))).isEmpty();
        assertThat(verified).hasSize(3);
        assertThat(verified.get(0)).isEqualTo(aliceHash);
        assertThat(verified.subList(1, 3)).containsOnly(check.dummyHash());
        // The dummy hash costs what a user's costs: same parameters, same lengths.
        assertThat(check.dummyHash().split("\\$")[3]).isEqualTo(aliceHash.split("\\$")[3]).isEqualTo("m=256,t=1,p=1");
        assertThat(check.dummyHash()).hasSameSizeAs(aliceHash);
    }

    @Test
    void passwordsAreComparedInTheirNfcFormAndOtherOctetsNeverMatch() {
        String decomposed = "Jo\u0308rg's cafe\u0301";
        assertThat(check.check("jörg@example.com", utf8(decomposed))).hasValue("jörg@example.com");
        assertThat(check.check("alice@example.com", new byte[] {(byte) 0xFF, 'x'})).isEmpty();
        assertThat(verified).hasSize(2);
    }
}
