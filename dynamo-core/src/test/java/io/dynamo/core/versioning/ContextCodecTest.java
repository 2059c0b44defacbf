package io.dynamo.core.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContextCodecTest {

    private static final ActorId A1 = new ActorId("a", 1);
    private static final ActorId A2 = new ActorId("a", 2);
    private static final ActorId B0 = new ActorId("b", 0);

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void theEmptyContextIsThreeBytes() {
        assertThat(ContextCodec.encode(VersionVector.empty())).containsExactly(1, 0, 0);
        assertThat(ContextCodec.decode(bytes(1, 0, 0))).isEqualTo(VersionVector.empty());
    }

    @Test
    void layoutSharesNodeNamesBetweenIncarnations() {
        VersionVector v = VersionVector.of(VersioningGens.counters(A1, 3, A2, 1, B0, 300));

        assertThat(ContextCodec.encode(v)).containsExactly(bytes(
                1,                        // format version
                2, 1, 'a', 1, 'b',        // two node names
                3,                        // three actors
                0, 0, 0, 0, 0, 0, 0, 0, 1, 3,      // a#1 -> 3
                0, 0, 0, 0, 0, 0, 0, 0, 2, 1,      // a#2 -> 1
                1, 0, 0, 0, 0, 0, 0, 0, 0, 0xAC, 0x02)); // b#0 -> 300
    }

    static Stream<Arguments> garbage() {
        byte[] name256 = new byte[256];
        java.util.Arrays.fill(name256, (byte) 'x');
        byte[] longName = new byte[3 + 256];
        longName[0] = 1;
        longName[1] = 1;
        longName[2] = (byte) 0x80;
        longName[3] = 0x02;
        return Stream.of(
                Arguments.of("null", null),
                Arguments.of("no bytes", bytes()),
                Arguments.of("unknown version", bytes(2, 0, 0)),
                Arguments.of("version zero", bytes(0, 0, 0)),
                Arguments.of("truncated after version", bytes(1)),
                Arguments.of("truncated actor count", bytes(1, 0)),
                Arguments.of("trailing byte", bytes(1, 0, 0, 0)),
                Arguments.of("non-minimal varint", bytes(1, 0x80, 0x00, 0)),
                Arguments.of("name count larger than input", bytes(1, 0xff, 0xff, 0xff, 0xff, 0x0f)),
                Arguments.of("varint of 2^63-1 names", bytes(1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)),
                Arguments.of("ten-byte varint", bytes(1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)),
                Arguments.of("empty name", bytes(1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
                Arguments.of("name too long", longName),
                Arguments.of("malformed UTF-8 name", bytes(1, 1, 1, 0xC0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
                Arguments.of("names out of order", bytes(1, 2, 1, 'b', 1, 'a', 2,
                        0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
                Arguments.of("unused name", bytes(1, 2, 1, 'a', 1, 'b', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
                Arguments.of("name index out of range", bytes(1, 1, 1, 'a', 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
                Arguments.of("counter zero", bytes(1, 1, 1, 'a', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                Arguments.of("duplicate actor", bytes(1, 1, 1, 'a', 2,
                        0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2)),
                Arguments.of("actor count larger than input", bytes(1, 1, 1, 'a', 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
                Arguments.of("truncated incarnation", bytes(1, 1, 1, 'a', 1, 0, 0, 0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void garbageIsAnInvalidContextAndNothingElse(String why, byte[] bytes) {
        assertThatThrownBy(() -> ContextCodec.decode(bytes))
                .isExactlyInstanceOf(InvalidContextException.class)
                .hasMessageStartingWith("invalid context");
    }

    @Test
    void aSiblingSetWhoseValueDotTheContextDoesNotCoverIsCorrupt() {
        SiblingsCodec<String> codec = CodecProperties.STRINGS;
        Siblings<String> s = Siblings.<String>empty().update(VersionVector.empty(), "v", A1);
        byte[] good = codec.encode(s);
        // Layout tail: value count 1, actor index 0, counter 1, length 1, 'v'. Make the counter 2.
        byte[] bad = good.clone();
        bad[bad.length - 3] = 2;

        assertThatThrownBy(() -> codec.decode(bad))
                .isExactlyInstanceOf(CorruptVersionException.class)
                .hasMessageContaining("does not cover");
    }

    @Test
    void aValueTheValueDecoderRejectsMakesTheSetCorruptWithTheCauseKept() {
        SiblingsCodec<String> codec = CodecProperties.STRINGS;
        Siblings<String> s = Siblings.<String>empty().update(VersionVector.empty(), "v", A1);
        byte[] bad = codec.encode(s);
        bad[bad.length - 1] = (byte) 0xC0;

        assertThatThrownBy(() -> codec.decode(bad))
                .isExactlyInstanceOf(CorruptVersionException.class)
                .hasRootCauseInstanceOf(java.nio.charset.CharacterCodingException.class);
    }

    @Test
    void siblingSetsRoundTripWithTheirValues() {
        Siblings<String> s = Siblings.<String>empty()
                .update(VersionVector.empty(), "hello", A1)
                .update(VersionVector.empty(), "wörld", B0);

        Siblings<String> back = CodecProperties.STRINGS.decode(CodecProperties.STRINGS.encode(s));

        assertThat(back).isEqualTo(s);
        assertThat(back.values()).extracting(Versioned::value).isEqualTo(List.of("hello", "wörld"));
        assertThat(new String(CodecProperties.STRINGS.encode(s), StandardCharsets.ISO_8859_1)).contains("hello");
    }
}
