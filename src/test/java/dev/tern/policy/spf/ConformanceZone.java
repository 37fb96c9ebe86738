package dev.tern.policy.spf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.testdns.TestDnsServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Type;

/**
 * Serves the zonedata of one suite scenario the way the suite's reference driver does:
 *
 * <ol>
 *   <li>{@code SPF} entries are served as TXT, unless the name lists TXT entries (or {@code TXT: NONE});</li>
 *   <li>{@code NONE} means no record of that type;</li>
 *   <li>a bare {@code TIMEOUT} makes every query for the name time out, except queries for types listed before
 *       it; {@code TYPE: TIMEOUT} times out that type only;</li>
 *   <li>names absent from the zonedata are NXDOMAIN, listed names without the type are NODATA;</li>
 *   <li>a list under TXT/SPF is one record of several character-strings;</li>
 *   <li>CNAMEs are followed by the server.</li>
 * </ol>
 */
final class ConformanceZone {

    private ConformanceZone() {}

    static void load(TestDnsServer server, JsonNode zonedata) {
        if (zonedata == null || zonedata.isNull()) {
            return;
        }
        for (Map.Entry<String, JsonNode> entry : zonedata.properties()) {
            loadName(server, entry.getKey(), entry.getValue());
        }
    }

    private static void loadName(TestDnsServer server, String name, JsonNode items) {
        server.addName(name);
        boolean hasTxt = false;
        boolean timedOut = false;
        List<List<String>> spfCopies = new ArrayList<>();
        for (JsonNode item : items) {
            if (item.isTextual()) { // the bare TIMEOUT item: later entries are never reached
                server.timeout(name);
                timedOut = true;
                break;
            }
            Map.Entry<String, JsonNode> typed = item.properties().iterator().next();
            String type = typed.getKey();
            JsonNode value = typed.getValue();
            hasTxt |= type.equals("TXT");
            if (value.isTextual() && value.asText().equals("NONE")) {
                continue;
            }
            if (value.isTextual() && value.asText().equals("TIMEOUT")) {
                server.timeout(name, Type.value(type.equals("SPF") ? "TXT" : type));
                continue;
            }
            switch (type) {
                case "SPF" -> spfCopies.add(strings(value));
                case "TXT" -> server.addTxt(name, strings(value).toArray(String[]::new));
                case "MX" -> server.add(name, "MX", value.get(0).asInt() + " " + absolute(value.get(1).asText()));
                case "PTR", "CNAME" -> server.add(name, type, absolute(value.asText()));
                default -> server.add(name, type, value.asText());
            }
        }
        if (!hasTxt && !timedOut) {
            spfCopies.forEach(strings -> server.addTxt(name, strings.toArray(String[]::new)));
        }
    }

    private static List<String> strings(JsonNode value) {
        List<String> out = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(s -> out.add(s.asText()));
        } else {
            out.add(value.asText());
        }
        return out;
    }

    private static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }
}
