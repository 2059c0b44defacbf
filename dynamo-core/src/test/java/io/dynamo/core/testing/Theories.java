package io.dynamo.core.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.AsString;
import org.quicktheories.core.Reporter;

/**
 * QuickTheories, seeded the way this project replays randomness. A test run has one seed, fresh
 * each run and printed when the first property starts, or given with {@code
 * -Ddynamo.property.seed=S}. Each property draws from its own seed, derived from the run's seed
 * and the property's name (class and method), so properties with the same generators see
 * different values, and a replay of one property alone sees exactly what it saw in the full run.
 * A falsified property fails with the smallest falsifying value QuickTheories shrank to, the seed
 * and the Maven command that replays it.
 *
 * <pre>
 * &#64;Test
 * void mergeIsCommutative() {
 *     qt(1000).forAll(vectors(), vectors()).checkAssert((a, b) -> assertThat(a.merge(b)).isEqualTo(b.merge(a)));
 * }
 * </pre>
 *
 * <p>Call {@link #qt(int)} from the {@code @Test} method itself (or from a method it calls): the
 * property's name is found on the call stack.
 */
public final class Theories {

    /** The system property that replays a run: {@code -Ddynamo.property.seed=...}. */
    public static final String SEED_PROPERTY = "dynamo.property.seed";

    /** Set by Surefire (see the root pom.xml) to the module under test, for the replay command. */
    static final String MODULE_PROPERTY = "dynamo.test.module";

    /** How many falsifying values besides the smallest a failure lists. */
    private static final int OTHER_VALUES_SHOWN = 5;

    private static final long RUN_SEED = runSeedFromProperty();

    private Theories() {
    }

    /**
     * A theory that tries {@code examples} generated examples (fewer if some repeat: QuickTheories
     * runs each distinct example once), seeded for the calling property.
     */
    public static QuickTheory qt(int examples) {
        if (examples < 1) {
            throw new IllegalArgumentException("a property tries at least one example, got " + examples);
        }
        PropertyName name = callingProperty();
        return QuickTheory.qt()
                .withExamples(examples)
                // QuickTheories tries every shrink cycle it is given, even without progress: bounded
                // so that a slow property that fails does not shrink for many minutes.
                .withShrinkCycles(Math.min(20 * examples, 10_000))
                .withFixedSeed(seedFor(name))
                .withReporter(new ReplayReporter(name));
    }

    /** This run's seed, from {@value #SEED_PROPERTY} or fresh. */
    public static long runSeed() {
        return RUN_SEED;
    }

    /** The replay command for {@code name} and this run's seed. */
    static String replayCommand(PropertyName name) {
        return "mvn -pl " + module() + " -am verify -Dtest='" + name.testPattern() + "' -D" + SEED_PROPERTY + "="
                + RUN_SEED;
    }

    private static long runSeedFromProperty() {
        String value = System.getProperty(SEED_PROPERTY);
        long seed;
        if (value == null || value.isBlank()) {
            // Test code only: the deterministic rule (build-support/deterministic.txt) covers main
            // code, and a fresh seed each run is the point here.
            seed = new SplittableRandom().nextLong();
        } else {
            try {
                seed = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + SEED_PROPERTY + " must be a long, got '" + value + "'", e);
            }
        }
        System.out.println("Property tests use seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
        return seed;
    }

    private static String module() {
        String module = System.getProperty(MODULE_PROPERTY);
        if (module == null || module.isBlank()) {
            Path dir = Path.of(System.getProperty("user.dir")).getFileName();
            module = dir == null ? "MODULE" : dir.toString();
        }
        return module;
    }

    /** The seed of one property: the run's seed mixed with the property's name. */
    static long seedFor(PropertyName name) {
        String text = name.className() + "#" + name.method();
        long h = 0xcbf29ce484222325L; // FNV-1a over the name
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001b3L;
        }
        long z = RUN_SEED ^ h; // then SplitMix64's finalizer
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The test method that called {@link #qt}: the innermost caller annotated {@link Test}. */
    static PropertyName callingProperty() {
        StackWalker walker = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
        List<StackWalker.StackFrame> frames = walker.walk(s -> s
                .filter(f -> f.getDeclaringClass() != Theories.class)
                .collect(Collectors.toList()));
        Optional<StackWalker.StackFrame> test = frames.stream().filter(Theories::isTestMethod).findFirst();
        StackWalker.StackFrame frame = test.orElse(frames.get(0));
        Class<?> declaring = frame.getDeclaringClass();
        return new PropertyName(declaring.getName(), declaring.getSimpleName(),
                Modifier.isAbstract(declaring.getModifiers()), frame.getMethodName());
    }

    private static boolean isTestMethod(StackWalker.StackFrame frame) {
        for (Method m : frame.getDeclaringClass().getDeclaredMethods()) {
            if (m.getName().equals(frame.getMethodName()) && m.isAnnotationPresent(Test.class)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A property's name. A property declared in an abstract class (a contract suite) runs in
     * each subclass, so its replay pattern matches the method in any class of the module.
     */
    record PropertyName(String className, String simpleName, boolean inAbstractClass, String method) {

        String testPattern() {
            return (inAbstractClass ? "*" : simpleName) + "#" + method;
        }

        @Override
        public String toString() {
            return simpleName + "#" + method;
        }
    }

    /** Fails a falsified property with its values, its seed and the command that replays it. */
    private record ReplayReporter(PropertyName name) implements Reporter {

        @Override
        public void falisification(long seed, int count, Object smallest, Throwable cause, List<Object> examples,
                AsString<Object> toString) {
            throw falsified(count, smallest, cause, examples, toString);
        }

        @Override
        public void falisification(long seed, int count, Object smallest, List<Object> examples,
                AsString<Object> toString) {
            throw falsified(count, smallest, null, examples, toString);
        }

        @Override
        public void valuesExhausted(int completedExamples) {
            throw new IllegalStateException("property " + name + " gave up after " + completedExamples
                    + " examples: its generators' filters rejected too many values; seed " + RUN_SEED + ", replay: "
                    + replayCommand(name));
        }

        private AssertionError falsified(int count, Object smallest, Throwable cause, List<Object> examples,
                AsString<Object> toString) {
            StringBuilder text = new StringBuilder();
            text.append("property ").append(name).append(" falsified after ").append(count).append(" example(s)\n");
            String smallestText = toString.asString(smallest);
            text.append("smallest falsifying value: ").append(smallestText).append('\n');
            if (cause != null) {
                text.append("because: ").append(cause).append('\n');
            }
            List<String> others = examples.stream().map(toString::asString).distinct()
                    .filter(e -> !e.equals(smallestText)).toList();
            if (!others.isEmpty()) {
                text.append("other falsifying values found while shrinking (").append(others.size())
                        .append(", smallest first, at most ").append(OTHER_VALUES_SHOWN).append(" shown):\n");
                others.stream().limit(OTHER_VALUES_SHOWN).forEach(e -> text.append("  ").append(e).append('\n'));
            }
            text.append("seed ").append(RUN_SEED).append("; replay: ").append(replayCommand(name));
            return new AssertionError(text.toString(), cause);
        }
    }
}
