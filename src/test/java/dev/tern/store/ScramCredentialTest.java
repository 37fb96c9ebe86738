package dev.tern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramCredentialTest {

    /** RFC 7677 §3's salt with made-up keys: the format does not care what the keys are. */
    static final ScramCredential SAMPLE = new ScramCredential(Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="),
            4096, filled(1), filled(2));

    static byte[] filled(int value) {
        byte[] out = new byte[32];
        Arrays.fill(out, (byte) value);
        return out;
    }

    @Test
    void theStoredFormIsOneWordThatReadsBack() {
        String text = SAMPLE.encode();
        assertThat(text).isEqualTo("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"
                + "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=");
        assertThat(ScramCredential.parse(text)).isEqualTo(SAMPLE);
        assertThat(ScramCredential.parse(text).storedKey()).isEqualTo(filled(1));
        assertThat(ScramCredential.parse(text).serverKey()).isEqualTo(filled(2));
    }

    @Test
    void keysStayOutOfToStringAndCannotBeChangedFromOutside() {
        assertThat(SAMPLE.toString()).contains("4096").doesNotContain("AQEBAQ");
        SAMPLE.storedKey()[0] = 9;
        assertThat(SAMPLE.storedKey()[0]).isEqualTo((byte) 1);
        assertThat(SAMPLE).isNotEqualTo(new ScramCredential(SAMPLE.salt(), 4096, filled(1), filled(3)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SCRAM-SHA-1$4096:W22ZaJ0SNY7soEsUEjb6gQ==$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=",
        "SCRAM-SHA-256$1000:W22ZaJ0SNY7soEsUEjb6gQ==$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=",
        "SCRAM-SHA-256$04096:W22ZaJ0SNY7soEsUEjb6gQ==$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=",
        "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$AQEBAQ==:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=",
        "SCRAM-SHA-256$4096:!!!$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=",
        "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==",
        "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$a$b$c",
        "SCRAM-SHA-256$"})
    void malformedFormsAreRefusedWithAReason(String text) {
        assertThatThrownBy(() -> ScramCredential.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("(?s).*(SCRAM|expected|iteration|salt|keys|Base64|Illegal|base64).*");
    }
}
