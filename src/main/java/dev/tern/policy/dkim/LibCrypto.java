package dev.tern.policy.dkim;

import dev.tern.policy.dkim.ForeignFunctions.CType;
import dev.tern.policy.dkim.ForeignFunctions.Unavailable;
import java.lang.invoke.MethodHandle;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * RSA signatures by OpenSSL 3's libcrypto ({@code libcrypto.so.3}, Debian's libssl3), called through {@link
 * ForeignFunctions}: about four times cheaper than the JDK's provider, whose time goes to {@code
 * BigInteger.modPow} (docs/performance.md, DKIM).
 *
 * <p>A key is decoded once from its PKCS#8 DER into an {@code EVP_PKEY} ({@link #privateKey}), which the caller
 * frees ({@link #free}). Each signature is one-shot on a context of its own ({@code EVP_MD_CTX}, made and freed per
 * call): OpenSSL 3 allows one {@code EVP_PKEY} to sign on several threads at once as long as each operation has
 * its own context. Every buffer handed to OpenSSL lives in a confined arena of the call and is freed before it
 * returns; nothing of native memory escapes but the key handle.
 *
 * <p>OpenSSL's error queue is per OS thread. A virtual thread stays on its carrier from the failing call to the
 * reading of the queue (nothing in between blocks), and the queue is cleared before each operation, so an error
 * reported is the operation's own.
 */
final class LibCrypto {

    static final String LIBRARY = "libcrypto.so.3";
    /** {@code EVP_PKEY_RSA}, the NID of rsaEncryption (obj_mac.h). */
    private static final int EVP_PKEY_RSA = 6;
    /** OpenSSL 3.0.0 as {@code OpenSSL_version_num()} gives it (0xMNN00PP0). */
    private static final long FIRST_VERSION = 0x3000_0000L;
    /** At most this many queued errors are read into one message; the rest are dropped with the queue. */
    private static final int MAX_ERRORS = 4;
    /** ERR_error_string_n's buffer; OpenSSL's own messages fit in 256 bytes. */
    private static final int ERROR_TEXT = 256;

    /** An OpenSSL operation failed; the message names it and OpenSSL's queued errors. */
    static final class Failure extends GeneralSecurityException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    private final ForeignFunctions ffi;
    private final String version;
    private final Object sha256;
    private final MethodHandle d2iAutoPrivateKey;
    private final MethodHandle pkeyFree;
    private final MethodHandle pkeyBaseId;
    private final MethodHandle pkeySize;
    private final MethodHandle mdCtxNew;
    private final MethodHandle mdCtxFree;
    private final MethodHandle digestSignInit;
    private final MethodHandle digestSign;
    private final MethodHandle errGetError;
    private final MethodHandle errErrorStringN;
    private final MethodHandle errClearError;

    private LibCrypto(ForeignFunctions ffi) throws Unavailable {
        this.ffi = ffi;
        long number = (long) ForeignFunctions.call(ffi.function("OpenSSL_version_num", CType.LONG));
        if (number < FIRST_VERSION) {
            throw new Unavailable(LIBRARY + " is not OpenSSL 3: version number 0x" + Long.toHexString(number));
        }
        version = "OpenSSL " + (number >>> 28) + "." + ((number >>> 20) & 0xff) + "." + ((number >>> 4) & 0xff);
        sha256 = ForeignFunctions.call(ffi.function("EVP_sha256", CType.POINTER));
        // EVP_PKEY *d2i_AutoPrivateKey(EVP_PKEY **a, const unsigned char **pp, long length)
        d2iAutoPrivateKey = ffi.function("d2i_AutoPrivateKey", CType.POINTER, CType.POINTER, CType.POINTER,
                CType.LONG);
        pkeyFree = ffi.function("EVP_PKEY_free", null, CType.POINTER);
        pkeyBaseId = ffi.function("EVP_PKEY_get_base_id", CType.INT, CType.POINTER);
        pkeySize = ffi.function("EVP_PKEY_get_size", CType.INT, CType.POINTER);
        mdCtxNew = ffi.function("EVP_MD_CTX_new", CType.POINTER);
        mdCtxFree = ffi.function("EVP_MD_CTX_free", null, CType.POINTER);
        // int EVP_DigestSignInit(EVP_MD_CTX *ctx, EVP_PKEY_CTX **pctx, const EVP_MD *type, ENGINE *e, EVP_PKEY *pkey)
        digestSignInit = ffi.function("EVP_DigestSignInit", CType.INT, CType.POINTER, CType.POINTER, CType.POINTER,
                CType.POINTER, CType.POINTER);
        // int EVP_DigestSign(EVP_MD_CTX *ctx, unsigned char *sig, size_t *siglen, const unsigned char *tbs, size_t n)
        digestSign = ffi.function("EVP_DigestSign", CType.INT, CType.POINTER, CType.POINTER, CType.POINTER,
                CType.POINTER, CType.LONG);
        errGetError = ffi.function("ERR_get_error", CType.LONG);
        errErrorStringN = ffi.function("ERR_error_string_n", null, CType.LONG, CType.POINTER, CType.LONG);
        errClearError = ffi.function("ERR_clear_error", null);
    }

    /** Loads the library and binds its functions, or says why it cannot be used here. */
    static LibCrypto load() throws Unavailable {
        return new LibCrypto(ForeignFunctions.library(LIBRARY));
    }

    /** {@code OpenSSL 3.0.19}, from the library's own version number. */
    String version() {
        return version;
    }

    /**
     * The {@code EVP_PKEY} of an RSA private key in PKCS#8 DER. The caller owns it and must {@link #free} it once.
     * The copy of the DER in native memory is overwritten before it is freed.
     */
    Object privateKey(byte[] pkcs8) throws Failure {
        call(errClearError);
        Object pkey;
        try (ForeignFunctions.Scope scope = ffi.confined()) {
            Object der = scope.copyOf(pkcs8);
            try {
                // d2i_* move the cursor *pp past what they read, hence a cell holding the pointer.
                Object cursor = scope.pointerCell(der);
                pkey = call(d2iAutoPrivateKey, ffi.nullPointer(), cursor, (long) pkcs8.length);
                if (ffi.isNull(pkey)) {
                    throw failure(scope, "d2i_AutoPrivateKey");
                }
            } finally {
                scope.wipe(der);
            }
        }
        int type = (int) call(pkeyBaseId, pkey);
        if (type != EVP_PKEY_RSA) {
            free(pkey);
            throw new Failure("d2i_AutoPrivateKey read a key of type " + type + ", not RSA");
        }
        return pkey;
    }

    /** The largest signature the key makes, in octets: the modulus length. */
    int signatureSize(Object pkey) {
        return (int) call(pkeySize, pkey);
    }

    /** Frees a key of {@link #privateKey}; once only, and never while it signs. */
    void free(Object pkey) {
        call(pkeyFree, pkey);
    }

    /**
     * RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2.1) of {@code data}: {@code EVP_DigestSignInit} with {@code
     * EVP_sha256()} and the key's default padding, PKCS#1 v1.5, then one {@code EVP_DigestSign}.
     *
     * @param size the key's {@link #signatureSize}
     */
    byte[] sign(Object pkey, int size, byte[] data) throws Failure {
        call(errClearError);
        Object ctx = call(mdCtxNew);
        if (ffi.isNull(ctx)) {
            throw new Failure("EVP_MD_CTX_new: out of memory");
        }
        try (ForeignFunctions.Scope scope = ffi.confined()) {
            Object none = ffi.nullPointer();
            if ((int) call(digestSignInit, ctx, none, sha256, none, pkey) != 1) {
                throw failure(scope, "EVP_DigestSignInit");
            }
            Object tbs = scope.copyOf(data);
            Object signature = scope.allocate(size);
            Object length = scope.longCell(size);
            if ((int) call(digestSign, ctx, signature, length, tbs, (long) data.length) != 1) {
                throw failure(scope, "EVP_DigestSign");
            }
            long written = scope.readLong(length);
            if (written <= 0 || written > size) {
                throw new Failure("EVP_DigestSign wrote " + written + " octets into " + size);
            }
            return scope.read(signature, written);
        } finally {
            call(mdCtxFree, ctx);
        }
    }

    /** A failure of {@code operation} with the errors OpenSSL queued for it, which this reads and so removes. */
    private Failure failure(ForeignFunctions.Scope scope, String operation) {
        List<String> errors = new ArrayList<>();
        Object text = scope.allocate(ERROR_TEXT);
        for (long code; (code = (long) call(errGetError)) != 0; ) {
            if (errors.size() < MAX_ERRORS) {
                call(errErrorStringN, code, text, (long) ERROR_TEXT);
                errors.add(scope.readCString(text));
            }
        }
        return new Failure(operation + " failed: " + (errors.isEmpty() ? "no error queued" : String.join("; ", errors)));
    }

    private static Object call(MethodHandle function) {
        return ForeignFunctions.call(function);
    }

    private static Object call(MethodHandle function, Object a) {
        return ForeignFunctions.call(function, a);
    }

    private static Object call(MethodHandle function, Object a, Object b, Object c) {
        return ForeignFunctions.call(function, a, b, c);
    }

    private static Object call(MethodHandle function, Object a, Object b, Object c, Object d, Object e) {
        return ForeignFunctions.call(function, a, b, c, d, e);
    }
}
