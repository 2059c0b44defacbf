package io.dynamo.storage.rocksdb;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.lists;

import io.dynamo.core.testing.Gens;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyFilterTest {

    @Test
    void everyAddedKeyHashIsReportedAsPossiblyPresent() {
        qt(1000).forAll(lists().of(Gens.longs()).ofSizeBetween(0, 5000)).checkAssert(hashes -> {
            KeyFilter filter = new KeyFilter();
            hashes.forEach(filter::add);

            assertThat(hashes).allMatch(filter::mightContain);
        });
    }

    @Test
    void itGrowsInLayersAndKeepsFalsePositivesRare() {
        KeyFilter filter = new KeyFilter();
        SplittableRandom random = new SplittableRandom(7);
        Set<Long> added = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            long h = random.nextLong();
            added.add(h);
            filter.add(h);
        }
        int falsePositives = 0;
        int probes = 100_000;
        for (int i = 0; i < probes; i++) {
            long h = random.nextLong();
            if (!added.contains(h) && filter.mightContain(h)) {
                falsePositives++;
            }
        }

        assertThat(added).allMatch(filter::mightContain);
        // Eight layers of under 1 % each: well under 10 % in all.
        assertThat(falsePositives).isLessThan(probes / 10);
        assertThat(filter.sizeBytes()).isLessThan(200_000L * 3);
    }

    @Test
    void anEmptyFilterHoldsNothing() {
        KeyFilter filter = new KeyFilter();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(filter.mightContain(random.nextLong())).isFalse();
        }
    }
}
