package io.dynamo.net.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * The server's log format, from {@code DYNAMO_LOG_FORMAT}: {@code text} (the default, one line
 * per event, {@code logback.xml}) or {@code json} (one JSON object per line,
 * {@code io/dynamo/net/logback-json.xml}). Applied once at start-up, before the server logs.
 */
public final class LogFormat {

    private LogFormat() {
    }

    /**
     * Switches the log format to {@code format} (null or blank: text).
     *
     * @throws IllegalArgumentException for a format that is neither, naming the variable
     */
    public static void apply(String format) {
        String f = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
        switch (f) {
            case "", "text" -> {
                // logback.xml, as Logback found it
            }
            case "json" -> configure(LogFormat.class.getResource("/io/dynamo/net/logback-json.xml"));
            default -> throw new IllegalArgumentException("DYNAMO_LOG_FORMAT must be text or json, was '" + format
                    + "'");
        }
    }

    private static void configure(URL config) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context) || config == null) {
            return; // another SLF4J binding: its own configuration stands
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot apply the JSON log format: " + e.getMessage(), e);
        }
    }
}
