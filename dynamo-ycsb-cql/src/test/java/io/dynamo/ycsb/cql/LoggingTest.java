package io.dynamo.ycsb.cql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The module's logback.xml, as target/lib runs it: slf4j 2 finds logback; warnings and errors only. */
class LoggingTest {

    @Test
    void warningsOnlyThroughLogback() {
        assertThat(LoggerFactory.getILoggerFactory().getClass().getName()).startsWith("ch.qos.logback.");
        Logger binding = LoggerFactory.getLogger(CqlYcsbClient.class);
        assertThat(binding.isWarnEnabled()).isTrue();
        assertThat(binding.isInfoEnabled()).isFalse();
        Logger driver = LoggerFactory.getLogger("com.datastax.oss.driver.internal.core.session.DefaultSession");
        assertThat(driver.isWarnEnabled()).isTrue();
        assertThat(driver.isInfoEnabled()).isFalse();
    }
}
