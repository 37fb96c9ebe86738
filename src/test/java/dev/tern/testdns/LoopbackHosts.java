package dev.tern.testdns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The JDK's own name resolution, for tests: the host names a test {@link #add}s resolve to 127.0.0.1, every other
 * name goes to the JDK's built-in resolver as usual. It is what a hosts file would do, for clients that resolve
 * through {@link InetAddress} rather than Tern's resolver, such as {@code java.net.http.HttpClient} fetching
 * {@code https://mta-sts.<domain>/}. Installed for the test JVM by {@code META-INF/services}.
 */
public final class LoopbackHosts extends InetAddressResolverProvider {

    private static final Set<String> NAMES = ConcurrentHashMap.newKeySet();

    /** From now on {@code host} resolves to 127.0.0.1 in this JVM. */
    public static void add(String host) {
        NAMES.add(host.toLowerCase(Locale.ROOT));
    }

    /** {@code host} resolves as it would without this class again. */
    public static void remove(String host) {
        NAMES.remove(host.toLowerCase(Locale.ROOT));
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (NAMES.contains(host.toLowerCase(Locale.ROOT))) {
                    return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
                }
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "tern-test-loopback-hosts";
    }
}
