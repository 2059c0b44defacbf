package io.dynamo.ycsb;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.lists;

import io.dynamo.core.testing.Gens;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class RecordCodecProperties {

    /**
     * Field names of 1 to {@code maxChars} chars: ASCII, the rest of the Basic Multilingual Plane
     * and supplementary characters (two chars each), never a lone surrogate.
     */
    static Gen<String> names(int maxChars) {
        Gen<Integer> codePoints = Generate.frequency(
                Pair.of(4, Generate.range(0x20, 0x7e)),
                Pair.of(2, Generate.range(0, Character.MIN_SURROGATE - 1)),
                Pair.of(2, Generate.range(Character.MAX_SURROGATE + 1, 0xffff)),
                Pair.of(1, Generate.range(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT)));
        return lists().of(codePoints).ofSizeBetween(1, maxChars).map(cps -> {
            StringBuilder name = new StringBuilder();
            for (int cp : cps) {
                if (name.length() + Character.charCount(cp) > maxChars) {
                    break;
                }
                name.appendCodePoint(cp);
            }
            return name.toString();
        });
    }

    /** Records of up to {@code fields} fields, names of up to {@code nameChars} chars, values of up to 255 bytes. */
    static Gen<Map<String, byte[]>> records(int fields, int nameChars) {
        return Gens.maps(names(nameChars), Gens.byteArrays(0, 255), fields).describedAs(record ->
                record.entrySet().stream().map(e -> e.getKey() + "=" + Arrays.toString(e.getValue()))
                        .collect(Collectors.joining(", ", "{", "}")));
    }

    @Test
    void anyRecordRoundTrips() {
        qt(1000).forAll(records(12, 20)).checkAssert(record ->
                assertThat(RecordCodecTest.content(RecordCodec.decode(RecordCodec.encode(record))))
                        .isEqualTo(RecordCodecTest.content(record)));
    }

    @Test
    void anyCutOrFlippedRecordDecodesOrFailsClearly() {
        qt(1000).forAll(records(5, 8), Gens.ints(), Gens.bytes()).checkAssert((record, position, replacement) -> {
            byte[] bytes = RecordCodec.encode(record);
            bytes[Math.floorMod(position, bytes.length)] = replacement;
            try {
                RecordCodec.decode(bytes);
            } catch (RecordFormatException e) {
                assertThat(e).hasMessageStartingWith("not a YCSB record");
            }
        });
    }
}
