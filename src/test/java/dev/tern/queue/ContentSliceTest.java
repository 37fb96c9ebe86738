package dev.tern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A message's content read out of a larger file: from its start, its prefix first, its omitted ranges left out. */
class ContentSliceTest {

    @TempDir
    Path dir;

    @Test
    void readsFromItsStartWithThePrefixAndWithoutTheOmittedRanges() throws IOException {
        Path segment = write("record header|Subject: a\r\nX-Drop: 1\r\n\r\nbody\r\n|next record");
        long start = "record header|".length();
        long length = "Subject: a\r\nX-Drop: 1\r\n\r\nbody\r\n".length();
        SpoolExtras extras = new SpoolExtras("Received: by us\r\n".getBytes(StandardCharsets.US_ASCII),
                List.of(new SpoolExtras.Range("Subject: a\r\n".length(), "X-Drop: 1\r\n".length())), null);
        ContentSlice slice = new ContentSlice(segment, start, length, extras);

        assertThat(read(slice)).isEqualTo("Received: by us\r\nSubject: a\r\n\r\nbody\r\n");
        assertThat(read(slice)).isEqualTo(read(slice)); // as often as needed
        assertThat(slice.size()).isEqualTo(read(slice).length());
    }

    @Test
    void aFileShorterThanWhereTheContentStartsIsAnError() throws IOException {
        ContentSlice slice = new ContentSlice(write("short"), 100, 10, SpoolExtras.NONE);

        assertThatThrownBy(slice::open).isInstanceOf(IOException.class).hasMessageContaining("shorter");
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("segment"), text, StandardCharsets.US_ASCII);
    }

    private static String read(ContentSlice slice) throws IOException {
        try (InputStream in = slice.open()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
