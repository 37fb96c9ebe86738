package dev.tern.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;

/**
 * The production logback.xml loads without a warning: Logback prints its whole status list to the terminal
 * when a configuration has one, which would greet every operator at {@code tern serve}.
 */
class LogbackConfigurationTest {

    @Test
    void productionConfigurationLoadsCleanly() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogbackConfigurationTest.class.getResource("/logback.xml"));
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .filteredOn(status -> status.getLevel() >= Status.WARN)
                .extracting(Status::getMessage)
                .isEmpty();
        context.stop();
    }
}
