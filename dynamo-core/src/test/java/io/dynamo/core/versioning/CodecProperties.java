package io.dynamo.core.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

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

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 1000),
                        Arbitraries.bytes())
                .as(Mutation::new).list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<VersionVector> vv() {
        return VersioningArbitraries.wideVectors();
    }

    @Provide
    Arbitrary<Siblings<String>> free() {
        return VersioningArbitraries.freeStates();
    }

    @Provide
    Arbitrary<List<Siblings<Integer>>> fromHistory() {
        return VersioningArbitraries.statesFromOneHistory(1);
    }

    // --- round trips ----------------------------------------------------------------------------

    @Property
    void contextRoundTrips(@ForAll("vv") VersionVector v) {
        byte[] bytes = ContextCodec.encode(v);
        assertThat(bytes[0]).isEqualTo((byte) ContextCodec.FORMAT_VERSION);
        assertThat(ContextCodec.decode(bytes)).isEqualTo(v);
    }

    @Property
    void siblingsRoundTrip(@ForAll("free") Siblings<String> s) {
        assertThat(STRINGS.decode(STRINGS.encode(s))).isEqualTo(s);
    }

    @Property
    void siblingsFromHistoriesRoundTrip(@ForAll("fromHistory") List<Siblings<Integer>> s) {
        assertThat(INTS.decode(INTS.encode(s.get(0)))).isEqualTo(s.get(0));
    }

    @Property
    void inPlaceFormatWritesTheSameBytes(@ForAll("free") Siblings<String> s) {
        byte[] bytes = STRINGS.encode(s);
        assertThat(IN_PLACE_STRINGS.encode(s)).isEqualTo(bytes);
        assertThat(IN_PLACE_STRINGS.decode(bytes)).isEqualTo(s);
    }

    @Property
    void headroomIsLeftInFrontOfTheSameEncoding(@ForAll("free") Siblings<String> s,
                                                @ForAll @net.jqwik.api.constraints.IntRange(max = 40) int headroom) {
        byte[] plain = STRINGS.encode(s);
        for (SiblingsCodec<String> codec : List.of(STRINGS, IN_PLACE_STRINGS)) {
            byte[] framed = codec.encode(s, headroom);
            assertThat(framed).hasSize(headroom + plain.length);
            assertThat(Arrays.copyOf(framed, headroom)).isEqualTo(new byte[headroom]);
            assertThat(Arrays.copyOfRange(framed, headroom, framed.length)).isEqualTo(plain);
        }
    }

    /** A slice decodes exactly as the same bytes on their own would, whatever surrounds it. */
    @Property
    void slicesDecodeLikeTheirBytesAlone(@ForAll("free") Siblings<String> s,
                                         @ForAll("mutations") List<Mutation> mutations,
                                         @ForAll @Size(max = 8) byte[] before, @ForAll @Size(max = 8) byte[] after) {
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
    }

    // --- garbage in, one exception out ----------------------------------------------------------

    @Property
    void randomBytesAreAContextOrInvalid(@ForAll @Size(max = 64) byte[] bytes, @ForAll boolean withVersion) {
        if (withVersion && bytes.length > 0) {
            bytes[0] = ContextCodec.FORMAT_VERSION;
        }
        assertContextDecodesCanonicallyOrIsInvalid(bytes);
    }

    @Property
    void mutatedContextsAreAContextOrInvalid(@ForAll("vv") VersionVector v,
                                             @ForAll("mutations") List<Mutation> mutations) {
        byte[] bytes = ContextCodec.encode(v);
        for (Mutation m : mutations) {
            bytes = m.apply(bytes);
        }
        assertContextDecodesCanonicallyOrIsInvalid(bytes);
    }

    @Property
    void randomBytesAreASiblingSetOrCorrupt(@ForAll @Size(max = 64) byte[] bytes, @ForAll boolean withVersion) {
        if (withVersion && bytes.length > 0) {
            bytes[0] = SiblingsCodec.FORMAT_VERSION;
        }
        assertSiblingsDecodeCanonicallyOrAreCorrupt(STRINGS, bytes);
        assertSiblingsDecodeCanonicallyOrAreCorrupt(INTS, bytes);
    }

    @Property
    void mutatedSiblingSetsAreASiblingSetOrCorrupt(@ForAll("free") Siblings<String> s,
                                                   @ForAll("mutations") List<Mutation> mutations) {
        byte[] bytes = STRINGS.encode(s);
        for (Mutation m : mutations) {
            bytes = m.apply(bytes);
        }
        assertSiblingsDecodeCanonicallyOrAreCorrupt(STRINGS, bytes);
    }

    @Property
    void mutatedIntSiblingSetsAreASiblingSetOrCorrupt(@ForAll("fromHistory") List<Siblings<Integer>> s,
                                                      @ForAll("mutations") List<Mutation> mutations) {
        byte[] bytes = INTS.encode(s.get(0));
        for (Mutation m : mutations) {
            bytes = m.apply(bytes);
        }
        assertSiblingsDecodeCanonicallyOrAreCorrupt(INTS, bytes);
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
