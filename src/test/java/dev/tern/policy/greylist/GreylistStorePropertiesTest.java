package dev.tern.policy.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The log's line format: whatever a peer put in a sender or recipient reads back as written. */
class GreylistStorePropertiesTest {

    @Property(tries = 50)
    void anyTripletReadsBackAfterAReopen(@ForAll String sender, @ForAll String recipient, @ForAll boolean passed)
            throws Exception {
        // Addresses come from parsed commands: well-formed text, never a lone UTF-16 surrogate.
        Assume.that(wellFormed(sender) && wellFormed(recipient));
        Path dir = Files.createTempDirectory("greylist");
        try {
            String key = GreylistStore.key("192.0.2.0/24", sender, recipient);
            GreylistStore.Triplet triplet = new GreylistStore.Triplet(1_000, 2_000, passed);
            try (GreylistStore store = GreylistStore.open(dir, 10, t -> false, c -> false)) {
                store.put("decoy", new GreylistStore.Client(3, 5));
                store.put(key, triplet);
            }
            try (GreylistStore store = GreylistStore.open(dir, 10, t -> false, c -> false)) {
                assertThat(store.triplet(key)).isEqualTo(triplet);
                assertThat(store.client("decoy")).isEqualTo(new GreylistStore.Client(3, 5));
                assertThat(store.triplets()).isEqualTo(1);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static boolean wellFormed(String text) {
        return text.codePoints().noneMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
    }
}
