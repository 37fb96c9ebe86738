package dev.tern.policy.dkim;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * The few parts of {@code java.lang.foreign} (the Foreign Function and Memory API, JEP 454) that {@link LibCrypto}
 * needs: a C library's functions as method handles, and native memory in a confined arena per call.
 *
 * <p><b>Why reflection.</b> Tern compiles with {@code --release 21}. In Java 21 {@code java.lang.foreign} is a
 * preview API, which source compiled without {@code --enable-preview} may not name; the API is final from Java 22
 * on, with the same classes and methods used here. So this class names none of them: it looks them up by name at
 * run time, on a runtime of feature version 22 or later only, and binds each method once into a
 * {@link MethodHandle} of the generic type {@code (Object...)Object}. To the rest of the code a segment or an
 * arena is then an {@code Object}; {@code long} arguments go in as {@link Long}, {@code int} results come back as
 * {@link Integer}. When Tern's release moves to 22 or later, this class can go and its callers name the API.
 *
 * <p>{@link #library} and {@link #function} call restricted methods ({@code SymbolLookup.libraryLookup}, {@code
 * Linker.downcallHandle}): JDK 24 and later print a warning for them unless the JVM runs with {@code
 * --enable-native-access=ALL-UNNAMED}, which {@code ./tern serve}, the systemd unit and the tests pass; with
 * {@code --illegal-native-access=deny} they throw, and {@link #library} reports that as {@link Unavailable}.
 */
final class ForeignFunctions {

    /** The first Java feature release in which {@code java.lang.foreign} is final (JEP 454). */
    static final int FIRST_FINAL_FEATURE = 22;

    /** The C types of the functions bound, as LP64 Linux (x86-64, AArch64) lays them out. */
    enum CType {
        /** {@code int}, 32 bits. */
        INT,
        /** {@code long}, {@code unsigned long}, {@code size_t}: 64 bits under LP64. */
        LONG,
        /** Any pointer. */
        POINTER
    }

    /** Why the API or the library cannot be used here; the message is fit for the operator's log. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private static final String PACKAGE = "java.lang.foreign.";

    private final Api api;
    private final Object symbols;

    private ForeignFunctions(Api api, Object symbols) {
        this.api = api;
        this.symbols = symbols;
    }

    /**
     * Opens a shared library by its file name ({@code dlopen} semantics: {@code libcrypto.so.3} is looked for on
     * the system's library path), for the life of the process.
     */
    static ForeignFunctions library(String fileName) throws Unavailable {
        return library(fileName, Runtime.version().feature());
    }

    /** {@link #library(String)} as it goes on a Java of release {@code feature}. */
    static ForeignFunctions library(String fileName, int feature) throws Unavailable {
        if (feature < FIRST_FINAL_FEATURE) {
            throw new Unavailable("Java " + feature + " has java.lang.foreign only as a preview (final from Java "
                    + FIRST_FINAL_FEATURE + ")");
        }
        Api api;
        try {
            api = new Api();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new Unavailable("java.lang.foreign cannot be bound: " + e);
        }
        try {
            return new ForeignFunctions(api, call(api.libraryLookup, fileName, call(api.globalArena)));
        } catch (IllegalArgumentException notFound) {
            throw new Unavailable(fileName + " cannot be loaded: " + notFound.getMessage());
        } catch (IllegalCallerException | UnsupportedOperationException refused) {
            throw new Unavailable("native access is refused (--enable-native-access): " + refused.getMessage());
        }
    }

    /**
     * A function of the library as a handle of type {@code (Object...)Object}: pointers are segments, {@code LONG}
     * arguments {@link Long}s; an {@code INT} result comes back as an {@link Integer}, {@code LONG} as a {@link
     * Long}, a pointer as a segment, {@code void} ({@code returns == null}) as null.
     */
    MethodHandle function(String name, CType returns, CType... parameters) throws Unavailable {
        Object address = ((Optional<?>) call(api.find, symbols, name))
                .orElseThrow(() -> new Unavailable("the library has no function " + name));
        Object[] layouts = (Object[]) Array.newInstance(api.memoryLayout, parameters.length);
        for (int i = 0; i < parameters.length; i++) {
            layouts[i] = api.layout(parameters[i]);
        }
        Object descriptor = returns == null ? call(api.descriptorOfVoid, layouts)
                : call(api.descriptorOf, api.layout(returns), layouts);
        Object noOptions = Array.newInstance(api.linkerOption, 0);
        MethodHandle handle = (MethodHandle) call(api.downcallHandle, call(api.nativeLinker), address, descriptor,
                noOptions);
        return handle.asType(MethodType.genericMethodType(parameters.length));
    }

    /** The C null pointer, {@code MemorySegment.NULL}. */
    Object nullPointer() {
        return api.nullPointer;
    }

    /** Whether a pointer a function returned is null. */
    boolean isNull(Object pointer) {
        return (long) call(api.address, pointer) == 0L;
    }

    /** Native memory for one call: freed, all at once, when the scope closes; usable by this thread only. */
    Scope confined() {
        return new Scope(call(api.ofConfined));
    }

    /** A confined arena ({@code Arena.ofConfined()}) with the allocations and reads the callers need. */
    final class Scope implements AutoCloseable {
        private final Object arena;

        private Scope(Object arena) {
            this.arena = arena;
        }

        /** A copy of {@code bytes} in native memory. */
        Object copyOf(byte[] bytes) {
            return call(api.allocateBytes, arena, api.javaByte, bytes);
        }

        /** {@code size} zeroed bytes. */
        Object allocate(long size) {
            return call(api.allocate, arena, size);
        }

        /** A {@code size_t} (or {@code long}) holding {@code value}, for a function to read and write through. */
        Object longCell(long value) {
            return call(api.allocateLong, arena, api.javaLong, value);
        }

        /** A pointer-sized cell holding {@code pointer}: the {@code T **} of a function that moves a cursor. */
        Object pointerCell(Object pointer) {
            return call(api.allocatePointer, arena, api.addressLayout, pointer);
        }

        /** The value of a {@link #longCell}. */
        long readLong(Object cell) {
            return (long) call(api.getLong, cell, api.javaLong, 0L);
        }

        /** The first {@code length} bytes of a segment, copied into the heap. */
        byte[] read(Object segment, long length) {
            return (byte[]) call(api.toArray, call(api.asSlice, segment, 0L, length), api.javaByte);
        }

        /** The bytes of a segment up to its first NUL, as a C string of ASCII. */
        String readCString(Object segment) {
            byte[] bytes = (byte[]) call(api.toArray, segment, api.javaByte);
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) {
                end++;
            }
            return new String(bytes, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
        }

        /** Overwrites a segment with zeros, so key material does not stay in freed native memory. */
        void wipe(Object segment) {
            call(api.fill, segment, (byte) 0);
        }

        @Override
        public void close() {
            call(api.close, arena);
        }
    }

    // Invokes a handle of this class: invokeExact on the generic type, one method per arity (a varargs method would
    // allocate an array and go through a spreader each call). What the API's Java side throws is unchecked.

    static Object call(MethodHandle handle) {
        try {
            return (Object) handle.invokeExact();
        } catch (Throwable e) {
            throw unchecked(e);
        }
    }

    static Object call(MethodHandle handle, Object a) {
        try {
            return (Object) handle.invokeExact(a);
        } catch (Throwable e) {
            throw unchecked(e);
        }
    }

    static Object call(MethodHandle handle, Object a, Object b) {
        try {
            return (Object) handle.invokeExact(a, b);
        } catch (Throwable e) {
            throw unchecked(e);
        }
    }

    static Object call(MethodHandle handle, Object a, Object b, Object c) {
        try {
            return (Object) handle.invokeExact(a, b, c);
        } catch (Throwable e) {
            throw unchecked(e);
        }
    }

    static Object call(MethodHandle handle, Object a, Object b, Object c, Object d) {
        try {
            return (Object) handle.invokeExact(a, b, c, d);
        } catch (Throwable e) {
            throw unchecked(e);
        }
    }

    static Object call(MethodHandle handle, Object a, Object b, Object c, Object d, Object e) {
        try {
            return (Object) handle.invokeExact(a, b, c, d, e);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    private static RuntimeException unchecked(Throwable e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(e);
    }

    /** The classes, layouts and methods of {@code java.lang.foreign} used here, looked up once. */
    private static final class Api {
        final Class<?> memoryLayout = type("MemoryLayout");
        final Class<?> linkerOption = type("Linker$Option");
        final Object javaByte;
        final Object javaInt;
        final Object javaLong;
        final Object addressLayout;
        final Object nullPointer;
        final MethodHandle nativeLinker;
        final MethodHandle downcallHandle;
        final MethodHandle descriptorOf;
        final MethodHandle descriptorOfVoid;
        final MethodHandle libraryLookup;
        final MethodHandle find;
        final MethodHandle globalArena;
        final MethodHandle ofConfined;
        final MethodHandle close;
        final MethodHandle allocate;
        final MethodHandle allocateBytes;
        final MethodHandle allocateLong;
        final MethodHandle allocatePointer;
        final MethodHandle getLong;
        final MethodHandle address;
        final MethodHandle asSlice;
        final MethodHandle toArray;
        final MethodHandle fill;

        Api() throws ReflectiveOperationException {
            // This class's own lookup, not publicLookup(): the restricted methods are caller-sensitive, and the
            // caller they check for native access is the module of the lookup class (the unnamed module).
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> segment = type("MemorySegment");
            Class<?> arena = type("Arena");
            Class<?> linker = type("Linker");
            Class<?> descriptor = type("FunctionDescriptor");
            Class<?> symbolLookup = type("SymbolLookup");
            Class<?> valueLayout = type("ValueLayout");
            Class<?> ofByte = type("ValueLayout$OfByte");
            Class<?> ofLong = type("ValueLayout$OfLong");
            Class<?> address = type("AddressLayout");
            Class<?> layouts = memoryLayout.arrayType();
            javaByte = valueLayout.getField("JAVA_BYTE").get(null);
            javaInt = valueLayout.getField("JAVA_INT").get(null);
            javaLong = valueLayout.getField("JAVA_LONG").get(null);
            addressLayout = valueLayout.getField("ADDRESS").get(null);
            nullPointer = segment.getField("NULL").get(null);
            nativeLinker = generic(lookup.findStatic(linker, "nativeLinker", MethodType.methodType(linker)));
            downcallHandle = generic(lookup.findVirtual(linker, "downcallHandle",
                    MethodType.methodType(MethodHandle.class, segment, descriptor, linkerOption.arrayType())));
            descriptorOf = generic(lookup.findStatic(descriptor, "of",
                    MethodType.methodType(descriptor, memoryLayout, layouts)));
            descriptorOfVoid = generic(lookup.findStatic(descriptor, "ofVoid", MethodType.methodType(descriptor, layouts)));
            libraryLookup = generic(lookup.findStatic(symbolLookup, "libraryLookup",
                    MethodType.methodType(symbolLookup, String.class, arena)));
            find = generic(lookup.findVirtual(symbolLookup, "find", MethodType.methodType(Optional.class, String.class)));
            globalArena = generic(lookup.findStatic(arena, "global", MethodType.methodType(arena)));
            ofConfined = generic(lookup.findStatic(arena, "ofConfined", MethodType.methodType(arena)));
            close = generic(lookup.findVirtual(arena, "close", MethodType.methodType(void.class)));
            allocate = generic(lookup.findVirtual(arena, "allocate", MethodType.methodType(segment, long.class)));
            allocateBytes = generic(lookup.findVirtual(arena, "allocateFrom",
                    MethodType.methodType(segment, ofByte, byte[].class)));
            allocateLong = generic(lookup.findVirtual(arena, "allocateFrom",
                    MethodType.methodType(segment, ofLong, long.class)));
            allocatePointer = generic(lookup.findVirtual(arena, "allocateFrom",
                    MethodType.methodType(segment, address, segment)));
            getLong = generic(lookup.findVirtual(segment, "get", MethodType.methodType(long.class, ofLong, long.class)));
            this.address = generic(lookup.findVirtual(segment, "address", MethodType.methodType(long.class)));
            asSlice = generic(lookup.findVirtual(segment, "asSlice",
                    MethodType.methodType(segment, long.class, long.class)));
            toArray = generic(lookup.findVirtual(segment, "toArray", MethodType.methodType(byte[].class, ofByte)));
            fill = generic(lookup.findVirtual(segment, "fill", MethodType.methodType(segment, byte.class)));
        }

        Object layout(CType type) {
            return switch (type) {
                case INT -> javaInt;
                case LONG -> javaLong;
                case POINTER -> addressLayout;
            };
        }

        private static Class<?> type(String name) {
            try {
                return Class.forName(PACKAGE + name);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("no " + PACKAGE + name, e);
            }
        }

        /** The handle with every parameter and its result as {@code Object}, boxing and unboxing as needed. */
        private static MethodHandle generic(MethodHandle handle) {
            MethodHandle fixed = handle.asFixedArity();
            return fixed.asType(fixed.type().generic());
        }
    }
}
