package dev.tern.auth;

import static dev.tern.auth.Fixtures.CHEAP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.store.ScramCredential;
import dev.tern.store.StoredPassword;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class StoredPasswordsTest {

    @Test
    void bothFormsComeFromOnePasswordWithFreshSalts() {
        StoredPassword a = StoredPasswords.derive(CHEAP, "correct horse".toCharArray());
        StoredPassword b = StoredPasswords.derive(CHEAP, "correct horse".toCharArray());
        assertThat(CHEAP.verify("correct horse".toCharArray(), a.hash())).isTrue();
        ScramCredential scram = a.scramSha256().orElseThrow();
        assertThat(scram.iterations()).as("OWASP's count for PBKDF2-HMAC-SHA256").isEqualTo(600_000);
        assertThat(scram.salt()).hasSize(16).isNotEqualTo(b.scramSha256().orElseThrow().salt());
        assertThat(StoredPasswords.scramSha256("correct horse".toCharArray(), scram.salt(), 600_000)).hasValue(scram);
    }

    @Test
    void theIterationCountCanBeChosen() {
        ScramCredential scram = StoredPasswords.derive(CHEAP, "correct horse".toCharArray(), 4096).scramSha256()
                .orElseThrow();
        assertThat(scram.iterations()).isEqualTo(4096);
        assertThat(StoredPasswords.scramSha256("correct horse".toCharArray(), scram.salt(), 4096)).hasValue(scram);
    }

    @Test
    void theVerifierMatchesRfc7677() {
        // RFC 7677 §3 shows no keys, but its server signature (checked in ScramSha256MechanismTest) depends on
        // them; here: SASLprep maps the password before hashing, so "pencil" with a soft hyphen is "pencil".
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        assertThat(StoredPasswords.scramSha256("pen\u00ADcil".toCharArray(), salt, 4096))
                .isEqualTo(StoredPasswords.scramSha256("pencil".toCharArray(), salt, 4096));
    }

    @Test
    void aPasswordSaslPrepRefusesGetsNoVerifier() {
        StoredPassword stored = StoredPasswords.derive(CHEAP, "tab\there".toCharArray());
        assertThat(stored.scramSha256()).isEmpty();
        assertThat(CHEAP.verify("tab\there".toCharArray(), stored.hash())).isTrue();
    }
}
