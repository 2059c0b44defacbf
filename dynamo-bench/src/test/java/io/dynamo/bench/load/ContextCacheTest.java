package io.dynamo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.client.Context;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.core.versioning.VersionVector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContextCacheTest {

    private static final ActorId N1 = new ActorId("n1", 1);
    private static final ActorId N2 = new ActorId("n2", 1);

    private static Context context(Map<ActorId, Long> counters) {
        return Context.of(ContextCodec.encode(VersionVector.of(counters)));
    }

    @Test
    void everyKeyHasItsOwnSlotWhenTheyAllFit() {
        ContextCache cache = new ContextCache(100, 50);
        assertThat(cache.capacity()).isEqualTo(50);
        Context c = context(Map.of(N1, 1L));
        for (long k = 0; k < 50; k++) {
            cache.put(k, c);
        }
        for (long k = 0; k < 50; k++) {
            assertThat(cache.get(k)).isEqualTo(c);
        }
    }

    @Test
    void aKeyEvictsAnotherFromTheirSharedSlot() {
        ContextCache tiny = new ContextCache(1, 1000);
        Context c = context(Map.of(N1, 1L));
        assertThat(tiny.get(1)).isNull();
        tiny.put(1, c);
        tiny.put(2, c);
        assertThat(tiny.get(1)).isNull();
        assertThat(tiny.get(2)).isEqualTo(c);
    }

    @Test
    void anOlderContextDoesNotReplaceANewerOne() {
        ContextCache cache = new ContextCache(10, 10);
        Context older = context(Map.of(N1, 1L));
        Context newer = context(Map.of(N1, 2L));
        Context concurrent = context(Map.of(N1, 1L, N2, 1L));
        cache.put(3, newer);
        cache.put(3, older); // a slow thread's answer
        assertThat(cache.get(3)).isEqualTo(newer);
        cache.put(3, concurrent); // neither knows all the other knows: the later one wins
        assertThat(cache.get(3)).isEqualTo(concurrent);
        Context both = context(Map.of(N1, 2L, N2, 1L));
        cache.put(3, both);
        assertThat(cache.get(3)).isEqualTo(both);
        cache.put(3, Context.EMPTY); // a stale empty context never replaces a real one
        assertThat(cache.get(3)).isEqualTo(both);
    }
}
