package io.dynamo.cli.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as the bench options take them: a number and a unit, {@code ms}, {@code s},
 * {@code m} or {@code h} ({@code 30s}, {@code 1.5s}, {@code 250ms}, {@code 2m}); a bare number is
 * seconds.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** The duration {@code text} stands for; {@link TypeConversionException} when it is not one. */
    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + text + "' is not a duration: use a number and ms, s, m or h "
                    + "(e.g. 30s, 500ms, 2m)");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanosPerUnit = switch (unit) {
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
        double nanos = amount * nanosPerUnit;
        if (nanos > 30L * 24 * 3600 * 1e9) {
            throw new TypeConversionException("'" + text + "' is too long (at most 30 days)");
        }
        return Duration.ofNanos(Math.round(nanos));
    }
}
