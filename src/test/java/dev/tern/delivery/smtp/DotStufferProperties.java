package dev.tern.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.smtp.protocol.DotStuffing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The streaming stuffer writes what {@link DotStuffing#stuff} makes of the whole message, however it is split. */
class DotStufferProperties {

    @Provide
    Arbitrary<Byte> messageBytes() {
        return Arbitraries.of((byte) '.', (byte) '\r', (byte) '\n', (byte) 'a', (byte) ' ', (byte) 0xC3);
    }

    @Property
    void streamingEqualsStuffingTheWhole(@ForAll @Size(max = 200) List<@net.jqwik.api.From("messageBytes") Byte> bytes,
                                         @ForAll @IntRange(min = 1, max = 17) int piece) throws IOException {
        byte[] message = new byte[bytes.size()];
        for (int i = 0; i < message.length; i++) {
            message[i] = bytes.get(i);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffer stuffer = new DotStuffer(out);
        for (int from = 0; from < message.length; from += piece) {
            int n = Math.min(piece, message.length - from);
            if (n == 1) {
                stuffer.write(message[from]);
            } else {
                stuffer.write(message, from, n);
            }
        }
        stuffer.finish();
        assertThat(out.toByteArray()).isEqualTo(DotStuffing.stuff(message));
    }
}
