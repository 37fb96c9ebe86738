package dev.tern.policy.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** What {@link RsaEngine} reports as the reason for the JDK's provider when the library or a function is missing. */
class ForeignFunctionsTest {

    @Test
    void aMissingLibraryIsUnavailableWithItsName() {
        assumeTrue(Runtime.version().feature() >= ForeignFunctions.FIRST_FINAL_FEATURE);

        assertThatThrownBy(() -> ForeignFunctions.library("libtern-none.so.9"))
                .isInstanceOf(ForeignFunctions.Unavailable.class)
                .hasMessageStartingWith("libtern-none.so.9 cannot be loaded");
    }

    @Test
    void aMissingFunctionIsUnavailableWithItsName() throws Exception {
        assumeTrue(RsaEngine.choose(RsaEngine.Choice.AUTO).name().equals("libcrypto"));
        ForeignFunctions libcrypto = ForeignFunctions.library(LibCrypto.LIBRARY);

        assertThatThrownBy(() -> libcrypto.function("EVP_no_such_function", ForeignFunctions.CType.INT))
                .isInstanceOf(ForeignFunctions.Unavailable.class)
                .hasMessage("the library has no function EVP_no_such_function");
        assertThat(libcrypto.isNull(libcrypto.nullPointer())).isTrue();
    }

    @Test
    void beforeJava22TheApiIsNotTouched() {
        assertThatThrownBy(() -> ForeignFunctions.library(LibCrypto.LIBRARY, 21))
                .isInstanceOf(ForeignFunctions.Unavailable.class)
                .hasMessage("Java 21 has java.lang.foreign only as a preview (final from Java 22)");
    }
}
