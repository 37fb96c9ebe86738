package dev.tern.dns;

import java.util.Arrays;
import java.util.HexFormat;

/** One TLSA record (RFC 6698 §2.1): certificate usage, selector, matching type and association data. */
public record TlsaRecord(int usage, int selector, int matchingType, byte[] data) {

    public TlsaRecord {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsaRecord t && usage == t.usage && selector == t.selector
                && matchingType == t.matchingType && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return ((usage * 31 + selector) * 31 + matchingType) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data);
    }
}
