package io.dynamo.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.thetaphi.forbiddenapis.Checker;
import de.thetaphi.forbiddenapis.ForbiddenApiException;
import de.thetaphi.forbiddenapis.Logger;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The central rule of DESIGN.md section 4, checked against itself: the signatures the build uses
 * (build-support/deterministic.txt) reject a class that reads the wall clock, sleeps, draws
 * unseeded randomness or starts a thread, and accept every main class of dynamo-core. If someone
 * weakens the signatures file, the first test fails.
 */
class DeterminismRuleTest {

    private static final Path SIGNATURES = Path.of("..", "build-support", "deterministic.txt");

    @Test
    void theRuleRejectsWallClockSleepsUnseededRandomnessAndThreads() throws Exception {
        List<String> errors = new ArrayList<>();
        Checker checker = checker(errors);
        checker.addClassToCheck(classFile(NodeLogicThatBreaksTheRule.class).toFile());

        assertThatThrownBy(checker::run).isInstanceOf(ForbiddenApiException.class);
        assertThat(String.join("\n", errors)).contains(
                "java.lang.System#currentTimeMillis()",
                "java.lang.System#nanoTime()",
                "java.lang.Thread#sleep(long)",
                "java.util.Random#<init>()",
                "java.util.UUID#randomUUID()",
                "java.lang.Math#random()",
                "java.lang.Thread#start()");
    }

    @Test
    void everyMainClassOfTheCoreObeysIt() throws Exception {
        List<String> errors = new ArrayList<>();
        Checker checker = checker(errors);
        Path classes = Path.of("target", "classes");
        try (Stream<Path> files = Files.walk(classes)) {
            List<File> all = files.filter(f -> f.toString().endsWith(".class")).map(Path::toFile).toList();
            assertThat(all).isNotEmpty();
            checker.addClassesToCheck(all);
        }

        checker.run();

        assertThat(errors).isEmpty();
    }

    private static Checker checker(List<String> errors) throws Exception {
        Logger logger = new Logger() {
            @Override
            public void error(String msg) {
                errors.add(msg);
            }

            @Override
            public void warn(String msg) {
            }

            @Override
            public void info(String msg) {
            }

            @Override
            public void debug(String msg) {
            }
        };
        Checker checker = new Checker(logger, DeterminismRuleTest.class.getClassLoader(),
                Checker.Option.FAIL_ON_VIOLATION, Checker.Option.FAIL_ON_UNRESOLVABLE_SIGNATURES);
        checker.parseSignaturesFile(SIGNATURES.toFile());
        return checker;
    }

    private static Path classFile(Class<?> type) throws IOException {
        Path path = Path.of("target", "test-classes", type.getName().replace('.', File.separatorChar) + ".class");
        assertThat(path).exists();
        return path;
    }
}
