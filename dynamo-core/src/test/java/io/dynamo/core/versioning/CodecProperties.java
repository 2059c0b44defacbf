package io.dynamo.core.versioning;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.lists;

import io.dynamo.core.testing.Gens;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Round trips, and the error contract: decoding any bytes either yields the value whose encoding
 * they are, or throws the one documented exception.
 */
class CodecProperties {

    /** Decodes strict UTF-8 and rejects anything else, like a real value decoder would. */
    static final SiblingsCodec<String> STRINGS = SiblingsCodec.of(
            s -> s.getBytes(StandardCharsets.UTF_8),
            bytes -> {
                try {
                    return StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes)).toString();
                } catch (CharacterCodingException e) {
                    throw new IllegalArgumentException("not UTF-8", e);
                }
            });

    static final SiblingsCodec<Integer> INTS = SiblingsCodec.of(
            i -> ByteBuffer.allocate(4).putInt(i).array(),
            bytes -> {
                if (bytes.length != 4) {
                    throw new IllegalArgumentException("an int takes 4 bytes, got " + bytes.length);
                }
                return ByteBuffer.wrap(bytes).getInt();
            });

    /** The same strings through an in-place {@link ValueFormat}: decodes from its range of the input. */
    static final SiblingsCodec<String> IN_PLACE_STRINGS = SiblingsCodec.of(new ValueFormat<String>() {
        @Override
        public int encodedLength(String value) {
            return value.getBytes(StandardCharsets.UTF_8).length;
        }

        @Override
        public void encode(String value, byte[] dst, int offset) {
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, dst, offset, b.length);
        }

        @Override
        public String decode(byte[] src, int offset, int length) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(src, offset, length)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("not UTF-8", e);
            }
        }
    });

    enum Kind { FLIP_BIT, SET_BYTE, INSERT, DELETE, TRUNCATE, APPEND }

    record Mutation(Kind kind, int position, byte value) {
        byte[] apply(byte[] in) {
            if (in.length == 0) {
                return new byte[] {value};
            }
            int at = Math.floorMod(position, in.length);
            byte[] out;
            switch (kind) {
                case FLIP_BIT -> {
                    out = in.clone();
                    out[at] ^= (byte) (1 << Math.floorMod(value, 8));
                }
                case SET_BYTE -> {
                    out = in.clone();
                    out[at] = value;
                }
                case INSERT -> {
                    out = new byte[in.length + 1];
                    System.arraycopy(in, 0, out, 0, at);
                    out[at] = value;
                    System.arraycopy(in, at, out, at + 1, in.length - at);
                }
                case DELETE -> {
                    out = new byte[in.length - 1];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(in, at + 1, out, at, in.length - at - 1);
                }
                case TRUNCATE -> out = Arrays.copyOf(in, at);
                case APPEND -> {
                    out = Arrays.copyOf(in, in.length + 1);
                    out[in.length] = value;
                }
                default -> throw new AssertionError(kind);
            }
            return out;
        }
    }

    static Gen<List<Mutation>> mutations() {
        Gen<Mutation> one = Generate.enumValues(Kind.class).zip(Generate.range(0, 1000), Gens.bytes(), Mutation::new);
        return lists().of(one).ofSizeBetween(1, 3);
    }

    static Gen<Siblings<String>> free() {
        return VersioningGens.freeStates();
    }

    static Gen<Siblings<Integer>> fromHistory() {
        return VersioningGens.statesFromOneHistory(1).map(states -> states.get(0));
    }

    // --- round trips ----------------------------------------------------------------------------

    @Test
    void contextRoundTrips() {
        qt(1000).forAll(VersioningGens.wideVectors()).checkAssert(v -> {
            byte[] bytes = ContextCodec.encode(v);
            assertThat(bytes[0]).isEqualTo((byte) ContextCodec.FORMAT_VERSION);
            assertThat(ContextCodec.decode(bytes)).isEqualTo(v);
        });
    }

    @Test
    void siblingsRoundTrip() {
        qt(1000).forAll(free()).checkAssert(s -> {
            assertThat(STRINGS.decode(STRINGS.encode(s))).isEqualTo(s);
        });
    }

    @Test
    void siblingsFromHistoriesRoundTrip() {
        qt(1000).forAll(fromHistory()).checkAssert(s -> {
            assertThat(INTS.decode(INTS.encode(s))).isEqualTo(s);
        });
    }

    @Test
    void inPlaceFormatWritesTheSameBytes() {
        qt(1000).forAll(free()).checkAssert(s -> {
            byte[] bytes = STRINGS.encode(s);
            assertThat(IN_PLACE_STRINGS.encode(s)).isEqualTo(bytes);
            assertThat(IN_PLACE_STRINGS.decode(bytes)).isEqualTo(s);
        });
    }

    @Test
    void headroomIsLeftInFrontOfTheSameEncoding() {
        qt(1000).forAll(free(), Generate.range(0, 40)).checkAssert((s, headroom) -> {
            byte[] plain = STRINGS.encode(s);
            for (SiblingsCodec<String> codec : List.of(STRINGS, IN_PLACE_STRINGS)) {
                byte[] framed = codec.encode(s, headroom);
                assertThat(framed).hasSize(headroom + plain.length);
                assertThat(Arrays.copyOf(framed, headroom)).isEqualTo(new byte[headroom]);
                assertThat(Arrays.copyOfRange(framed, headroom, framed.length)).isEqualTo(plain);
            }
        });
    }

    /** A slice decodes exactly as the same bytes on their own would, whatever surrounds it. */
    @Test
    void slicesDecodeLikeTheirBytesAlone() {
        qt(1000).forAll(free(), mutations(), Gens.byteArrays(0, 8), Gens.byteArrays(0, 8))
                .checkAssert((s, mutations, before, after) -> {
                    byte[] mutated = STRINGS.encode(s);
                    for (Mutation m : mutations) {
                        mutated = m.apply(mutated);
                    }
                    byte[] bytes = mutated;
                    byte[] framed = new byte[before.length + bytes.length + after.length];
                    System.arraycopy(before, 0, framed, 0, before.length);
                    System.arraycopy(bytes, 0, framed, before.length, bytes.length);
                    System.arraycopy(after, 0, framed, before.length + bytes.length, after.length);
                    for (SiblingsCodec<String> codec : List.of(STRINGS, IN_PLACE_STRINGS)) {
                        Siblings<String> alone;
                        try {
                            alone = codec.decode(bytes);
                        } catch (CorruptVersionException e) {
                            org.assertj.core.api.Assertions.assertThatThrownBy(
                                    () -> codec.decode(framed, before.length, bytes.length))
                                    .isInstanceOf(CorruptVersionException.class);
                            continue;
                        }
                        assertThat(codec.decode(framed, before.length, bytes.length)).isEqualTo(alone);
                    }
                });
    }

    // --- garbage in, one exception out ----------------------------------------------------------

    @Test
    void randomBytesAreAContextOrInvalid() {
        qt(1000).forAll(Gens.byteArrays(0, 64), Generate.booleans()).checkAssert((random, withVersion) -> {
            byte[] bytes = random.clone();
            if (withVersion && bytes.length > 0) {
                bytes[0] = ContextCodec.FORMAT_VERSION;
            }
            assertContextDecodesCanonicallyOrIsInvalid(bytes);
        });
    }

    @Test
    void mutatedContextsAreAContextOrInvalid() {
        qt(1000).forAll(VersioningGens.wideVectors(), mutations()).checkAssert((v, mutations) -> {
            byte[] bytes = ContextCodec.encode(v);
            for (Mutation m : mutations) {
                bytes = m.apply(bytes);
            }
            assertContextDecodesCanonicallyOrIsInvalid(bytes);
        });
    }

    @Test
    void randomBytesAreASiblingSetOrCorrupt() {
        qt(1000).forAll(Gens.byteArrays(0, 64), Generate.booleans()).checkAssert((random, withVersion) -> {
            byte[] bytes = random.clone();
            if (withVersion && bytes.length > 0) {
                bytes[0] = SiblingsCodec.FORMAT_VERSION;
            }
            assertSiblingsDecodeCanonicallyOrAreCorrupt(STRINGS, bytes);
            assertSiblingsDecodeCanonicallyOrAreCorrupt(INTS, bytes);
        });
    }

    @Test
    void mutatedSiblingSetsAreASiblingSetOrCorrupt() {
        qt(1000).forAll(free(), mutations()).checkAssert((s, mutations) -> {
            byte[] bytes = STRINGS.encode(s);
            for (Mutation m : mutations) {
                bytes = m.apply(bytes);
            }
            assertSiblingsDecodeCanonicallyOrAreCorrupt(STRINGS, bytes);
        });
    }

    @Test
    void mutatedIntSiblingSetsAreASiblingSetOrCorrupt() {
        qt(1000).forAll(fromHistory(), mutations()).checkAssert((s, mutations) -> {
            byte[] bytes = INTS.encode(s);
            for (Mutation m : mutations) {
                bytes = m.apply(bytes);
            }
            assertSiblingsDecodeCanonicallyOrAreCorrupt(INTS, bytes);
        });
    }

    static void assertContextDecodesCanonicallyOrIsInvalid(byte[] bytes) {
        VersionVector decoded;
        try {
            decoded = ContextCodec.decode(bytes);
        } catch (InvalidContextException expected) {
            return;
        }
        assertThat(ContextCodec.encode(decoded)).as("only canonical encodings decode").isEqualTo(bytes);
    }

    static <V> void assertSiblingsDecodeCanonicallyOrAreCorrupt(SiblingsCodec<V> codec, byte[] bytes) {
        Siblings<V> decoded;
        try {
            decoded = codec.decode(bytes);
        } catch (CorruptVersionException expected) {
            return;
        }
        assertThat(codec.encode(decoded)).as("only canonical encodings decode").isEqualTo(bytes);
    }
}
