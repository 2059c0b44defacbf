package io.dynamo.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.client.Sibling;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SiblingMergeTest {

    /** A sibling holding a record of text fields: "name=value" pairs. */
    private static Sibling sibling(long at, String... fields) {
        Map<String, byte[]> record = new LinkedHashMap<>();
        for (String f : fields) {
            String[] nv = f.split("=", 2);
            record.put(nv[0], nv[1].getBytes(StandardCharsets.UTF_8));
        }
        return new Sibling(RecordCodec.encode(record), DynamoYcsbClient.CONTENT_TYPE, at);
    }

    private static Map<String, String> text(Map<String, byte[]> record) {
        Map<String, String> out = new LinkedHashMap<>();
        record.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void oneSiblingIsItsRecord() {
        assertThat(text(SiblingMerge.merge(List.of(sibling(5, "b=2", "a=1")))))
                .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    }

    @Test
    void noSiblingsIsTheEmptyRecord() {
        assertThat(SiblingMerge.merge(List.of())).isEmpty();
    }

    @Test
    void siblingsHoldingEveryFieldResolveToTheLatestWhole() {
        // Both updates read {f0=x, f1=x}; one wrote f0=A (at 10), the other f1=B (at 20). The
        // binding writes whole records, so each sibling has both fields: the later one wins both,
        // and f0=A is lost (last writer wins on the record, as the class documents).
        Sibling one = sibling(10, "f0=A", "f1=x");
        Sibling other = sibling(20, "f0=x", "f1=B");
        assertThat(text(SiblingMerge.merge(List.of(one, other)))).containsExactly(Map.entry("f0", "x"),
                Map.entry("f1", "B"));
    }

    @Test
    void eachFieldComesFromTheLatestSiblingThatHasIt() {
        Sibling old = sibling(10, "a=old", "b=old", "c=old");
        Sibling middle = sibling(20, "b=middle");
        Sibling latest = sibling(30, "a=latest");
        Map<String, String> merged = text(SiblingMerge.merge(List.of(latest, old, middle)));
        assertThat(merged).containsExactly(Map.entry("a", "latest"), Map.entry("b", "middle"), Map.entry("c", "old"));
    }

    @Test
    void equalTimestampsGiveTheSameResultInAnyOrder() {
        List<Sibling> siblings = new ArrayList<>(List.of(sibling(7, "a=x", "b=q"), sibling(7, "a=y"),
                sibling(7, "a=w", "b=r"), sibling(3, "a=z", "c=1")));
        Map<String, String> first = text(SiblingMerge.merge(siblings));
        assertThat(first).containsExactly(Map.entry("a", "y"), Map.entry("b", "r"), Map.entry("c", "1"));
        for (int i = 0; i < 10; i++) {
            Collections.rotate(siblings, 1);
            if (i % 3 == 0) {
                Collections.swap(siblings, 0, 2);
            }
            assertThat(text(SiblingMerge.merge(siblings))).isEqualTo(first);
        }
    }

    @Test
    void aSiblingThatIsNotARecord() {
        Sibling bad = new Sibling("plain text".getBytes(StandardCharsets.UTF_8), "text/plain", 9);
        assertThatThrownBy(() -> SiblingMerge.merge(List.of(sibling(1, "a=1"), bad)))
                .isInstanceOf(RecordFormatException.class).hasMessageContaining("not a YCSB record");
    }
}
