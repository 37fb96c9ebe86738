package dev.tern.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log line, for log shippers (Vector, Fluent Bit, Promtail, journald's JSON readers):
 *
 * <pre>
 * {"time":"2026-01-02T10:00:00.123Z","level":"INFO","logger":"tern.mail","thread":"smtp-7",
 *  "message":"3FZ8K0A1B00042: accepted client=203.0.113.9 ...","id":"3FZ8K0A1B00042","event":"accepted",
 *  "client":"203.0.113.9","from":"&lt;a@example.org&gt;", ...}
 * </pre>
 *
 * The mail log's {@code key=value} fields ({@link MailLog} attaches them to the event as SLF4J key-value
 * pairs) become fields of their own, their values as the peer sent them: JSON's escaping, not
 * {@link LogText}'s quoting, keeps a hostile value inside its string (a line break is {@code \n}, never a new
 * line). A key that names one of the fields above gets a {@code _} after it; a key given twice holds an
 * array. Jackson writes the JSON (it reads the configuration already); Logback's own JsonEncoder writes the
 * pairs as an array of one-field objects and the logger context into every line, which no shipper wants.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> OWN = Set.of("time", "level", "logger", "thread", "message", "exception");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", TIME.format(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone)));
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", event.getThreadName());
            json.writeStringField("message", event.getFormattedMessage());
            for (Map.Entry<String, List<String>> field : fields(event).entrySet()) {
                writeField(json, field.getKey(), field.getValue());
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static Map<String, List<String>> fields(ILoggingEvent event) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null) {
            return fields;
        }
        for (KeyValuePair pair : pairs) {
            if (pair.key == null || pair.value == null) {
                continue;
            }
            String key = OWN.contains(pair.key) ? pair.key + "_" : pair.key;
            fields.computeIfAbsent(key, k -> new ArrayList<>(1)).add(String.valueOf(pair.value));
        }
        return fields;
    }

    private static void writeField(JsonGenerator json, String key, List<String> values) throws IOException {
        if (values.size() == 1) {
            json.writeStringField(key, values.get(0));
            return;
        }
        json.writeArrayFieldStart(key);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
