package dev.tern.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class ReportJsonTest {

    static final TlsReport REPORT = new TlsReport("mx.tern.test", Instant.parse("2026-03-01T00:00:00Z"),
            Instant.parse("2026-03-01T23:59:59Z"), "postmaster@mx.tern.test", "2026-03-01.example.org.ab12@mx.tern.test",
            List.of(new TlsReport.PolicyResult(new TlsReport.Policy("sts", Outcomes.STS_POLICY, "example.org",
                    List.of("*.mail.example.org")), 41, 3, List.of(
                    new TlsReport.FailureDetail("certificate-expired", "192.0.2.1", "mx2.mail.example.org",
                            "198.51.100.7", 2, "expired on 2026-02-27"),
                    new TlsReport.FailureDetail("starttls-not-supported", "192.0.2.1", "mx1.mail.example.org",
                            "198.51.100.8", 1, null))),
                    new TlsReport.PolicyResult(new TlsReport.Policy("no-policy-found", List.of(), "example.org",
                            List.of()), 7, 0, List.of())));

    @Test
    void theGzipdJsonHasExactlyTheFieldsOfRfc8460() throws Exception {
        byte[] gzipped = ReportJson.gzip(REPORT);
        byte[] json;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            json = in.readAllBytes();
        }
        JsonNode root = new ObjectMapper().readTree(json); // read with no code of ours
        assertThat(names(root)).containsExactly("organization-name", "date-range", "contact-info", "report-id",
                "policies");
        assertThat(root.get("organization-name").asText()).isEqualTo("mx.tern.test");
        assertThat(names(root.get("date-range"))).containsExactly("start-datetime", "end-datetime");
        assertThat(root.get("date-range").get("start-datetime").asText()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(root.get("date-range").get("end-datetime").asText()).isEqualTo("2026-03-01T23:59:59Z");
        assertThat(root.get("contact-info").asText()).isEqualTo("postmaster@mx.tern.test");
        assertThat(root.get("report-id").asText()).isEqualTo("2026-03-01.example.org.ab12@mx.tern.test");

        JsonNode sts = root.get("policies").get(0);
        assertThat(names(sts)).containsExactly("policy", "summary", "failure-details");
        assertThat(names(sts.get("policy"))).containsExactly("policy-type", "policy-string", "policy-domain",
                "mx-host");
        assertThat(sts.get("policy").get("policy-type").asText()).isEqualTo("sts");
        assertThat(sts.get("policy").get("policy-string")).hasSize(4);
        assertThat(sts.get("policy").get("policy-string").get(1).asText()).isEqualTo("mode: enforce");
        assertThat(sts.get("policy").get("policy-domain").asText()).isEqualTo("example.org");
        assertThat(sts.get("policy").get("mx-host").get(0).asText()).isEqualTo("*.mail.example.org");
        assertThat(names(sts.get("summary"))).containsExactly("total-successful-session-count",
                "total-failure-session-count");
        assertThat(sts.get("summary").get("total-successful-session-count").asLong()).isEqualTo(41);
        assertThat(sts.get("summary").get("total-failure-session-count").asLong()).isEqualTo(3);
        JsonNode expired = sts.get("failure-details").get(0);
        assertThat(names(expired)).containsExactly("result-type", "sending-mta-ip", "receiving-mx-hostname",
                "receiving-ip", "failed-session-count", "additional-information");
        assertThat(expired.get("result-type").asText()).isEqualTo("certificate-expired");
        assertThat(expired.get("sending-mta-ip").asText()).isEqualTo("192.0.2.1");
        assertThat(expired.get("receiving-mx-hostname").asText()).isEqualTo("mx2.mail.example.org");
        assertThat(expired.get("receiving-ip").asText()).isEqualTo("198.51.100.7");
        assertThat(expired.get("failed-session-count").isIntegralNumber()).isTrue();
        assertThat(expired.get("failed-session-count").asLong()).isEqualTo(2);
        assertThat(expired.get("additional-information").asText()).isEqualTo("expired on 2026-02-27");
        assertThat(names(sts.get("failure-details").get(1))).doesNotContain("additional-information");

        JsonNode none = root.get("policies").get(1);
        assertThat(names(none)).containsExactly("policy", "summary");
        assertThat(none.get("policy").get("policy-string")).isEmpty();
    }

    @Test
    void whatIsWrittenReadsBackTheSame() throws Exception {
        assertThat(ReportJson.readGzip(new ByteArrayInputStream(ReportJson.gzip(REPORT)))).isEqualTo(REPORT);
        assertThat(ReportJson.read(new ByteArrayInputStream(ReportJson.write(REPORT)))).isEqualTo(REPORT);
    }

    @Test
    void otherSendersQuirksAreRead() throws Exception {
        String json = """
                {"organization-name":"Example Inc.","date-range":{"start-datetime":"2026-03-01T00:00:00",
                "end-datetime":"2026-03-01T23:59:59+00:00"},"report-id":"r1","policies":[{"policy":{
                "policy-type":"sts","policy-string":["version: STSv1"],"policy-domain":"example.org",
                "mx-host":"mx.example.org"},"summary":{"total-successful-session-count":3,
                "total-failure-session-count":0}}]}""";
        TlsReport report = ReportJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(report.start()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(report.contact()).isNull();
        assertThat(report.policies().get(0).policy().mxHosts()).containsExactly("mx.example.org");
        assertThat(report.policies().get(0).details()).isEmpty();
    }

    @Test
    void whatASummaryNeedsMustBeThere() {
        assertThatThrownBy(() -> read("{\"organization-name\":\"x\",\"report-id\":\"r\",\"policies\":[]}"))
                .hasMessageContaining("start-datetime");
        assertThatThrownBy(() -> read("""
                {"organization-name":"x","report-id":"r","date-range":{"start-datetime":"2026-03-01T00:00:00Z",
                "end-datetime":"2026-03-01T23:59:59Z"},"policies":[{"policy":{"policy-type":"sts",
                "policy-domain":"example.org"},"summary":{"total-successful-session-count":-1,
                "total-failure-session-count":0}}]}""")).hasMessageContaining("total-successful-session-count");
        assertThatThrownBy(() -> read("[1,2]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> read("{\"organization-name\":")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ReportJson.readGzip(new ByteArrayInputStream(
                "plain text, not gzip".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(ReportJson.InvalidReportException.class).hasMessageStartingWith("not gzip");
    }

    private static TlsReport read(String json) throws Exception {
        return ReportJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new java.util.ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
