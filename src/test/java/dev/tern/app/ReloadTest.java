package dev.tern.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.config.ListenerSettings;
import dev.tern.config.MtaStsSettings;
import dev.tern.config.ServiceSettings;
import dev.tern.config.SmtpLimits;
import dev.tern.config.TernConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link Reload} takes from a new file, what it keeps, and how it names them. */
class ReloadTest {

    private final TernConfig running = TernConfig.defaults("mx.tern.test", Path.of("data"));

    @Test
    void anUnchangedFileChangesNothing() {
        Reload reload = Reload.between(running, running);
        assertThat(reload.config()).isEqualTo(running);
        assertThat(reload.summary()).isEqualTo("nothing changed");
    }

    @Test
    void liveTablesAreTakenAndNamed() {
        SmtpLimits d = SmtpLimits.defaults();
        TernConfig file = running.withLimits(new SmtpLimits(d.maxCommandLine(), d.maxTextLine(), 1000, d.maxRecipients(),
                d.maxErrors(), d.commandTimeout(), d.dataTimeout(), d.sessionTimeout(), d.maxConnections(),
                d.maxConnectionsPerClient(), d.bareLineEndings(), d.writeTimeout(), d.recipientOvershoot(),
                d.minCommandRate(), d.commandRateGrace(), d.stressThreshold(), d.stressCommandTimeout(),
                d.stressDataTimeout(), 500, d.maxReceivedHeaders()));
        Reload reload = Reload.between(running, file);
        assertThat(reload.config()).isEqualTo(file);
        assertThat(reload.changed()).containsExactly("[limits]");
        assertThat(reload.restart()).isEmpty();
    }

    @Test
    void whatNeedsARestartKeepsItsRunningValueAndIsReported() {
        TernConfig file = running.withDataDir(Path.of("elsewhere"))
                .withListeners(List.of(new ListenerSettings("mx", ListenerSettings.Role.MX, "0.0.0.0", 25)))
                .withService(new ServiceSettings(Duration.ofMinutes(1), Duration.ofSeconds(30),
                        ServiceSettings.LogFormat.JSON));
        Reload reload = Reload.between(running, file);
        assertThat(reload.restart()).containsExactly("data_dir", "[[listener]]", "[log] format");
        assertThat(reload.changed()).containsExactly("[shutdown]");
        assertThat(reload.config().dataDir()).isEqualTo(running.dataDir());
        assertThat(reload.config().listeners()).isEqualTo(running.listeners());
        assertThat(reload.config().service().logFormat()).isEqualTo(ServiceSettings.LogFormat.TEXT);
        assertThat(reload.config().service().shutdownGrace()).isEqualTo(Duration.ofMinutes(1));
        assertThat(reload.summary())
                .isEqualTo("changed [shutdown]; needs a restart: data_dir, [[listener]], [log] format");
    }

    @Test
    void aLogFormatChangeAloneChangesNothingLive() {
        TernConfig file = running.withService(new ServiceSettings(ServiceSettings.DEFAULT_SHUTDOWN_GRACE,
                ServiceSettings.DEFAULT_DELIVERY_GRACE, ServiceSettings.LogFormat.JSON));
        Reload reload = Reload.between(running, file);
        assertThat(reload.changed()).isEmpty();
        assertThat(reload.restart()).containsExactly("[log] format");
        assertThat(reload.config()).isEqualTo(running);
    }

    @Test
    void theMtaStsListenerNeedsARestartWhileOurPolicyReloads() {
        TernConfig file = running.withMtaSts(running.mtaSts().withListen("127.0.0.1", 8443)
                .withPolicy(MtaStsSettings.Mode.ENFORCE, List.of("mx.tern.test"), Duration.ofDays(14)));
        Reload reload = Reload.between(running, file);
        assertThat(reload.restart()).containsExactly("[mta_sts] listen");
        assertThat(reload.changed()).containsExactly("[mta_sts]");
        assertThat(reload.config().mtaSts().listening()).isFalse();
        assertThat(reload.config().mtaSts().mode()).isEqualTo(MtaStsSettings.Mode.ENFORCE);

        Reload listenOnly = Reload.between(running, running.withMtaSts(running.mtaSts().withListen("127.0.0.1", 8443)));
        assertThat(listenOnly.changed()).isEmpty();
        assertThat(listenOnly.config()).isEqualTo(running);
    }
}
