package io.dynamo.storage.rocksdb;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.lists;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.StorageException;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.testing.Gens;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.SiblingsCodec;
import io.dynamo.core.versioning.VersionVector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class CodecTest {

    /** Strings of up to 4 chars from around the encoding's boundaries, a lone surrogate among them. */
    static Gen<String> namespaces() {
        Gen<Character> chars = Generate.pick(List.of('\u0000', '\u0001', '\u0002', 'a', 'z', '\u007f', '\u0080',
                '\u00ff', '\u0100', '\ud800', '\uffff'));
        return lists().of(chars).ofSizeBetween(0, 4).map(cs -> cs.stream().map(String::valueOf)
                .collect(Collectors.joining()));
    }

    static Gen<byte[]> keyBytes() {
        return Gens.byteArrays(1, 4);
    }

    @Test
    void dataKeyOrderIsStoredKeyOrder() {
        qt(300).forAll(namespaces(), keyBytes(), namespaces(), keyBytes()).checkAssert((ns1, k1, ns2, k2) -> {
            StoredKey a = StoredKey.of(ns1, k1);
            StoredKey b = StoredKey.of(ns2, k2);
            int expected = Integer.signum(a.compareTo(b));
            int actual = Integer.signum(Arrays.compareUnsigned(KeyCodec.dataKey(7, a), KeyCodec.dataKey(7, b)));
            assertThat(actual).isEqualTo(expected);
            assertThat(KeyCodec.storedKeyOfData(KeyCodec.dataKey(7, a))).isEqualTo(a);
        });
    }

    @Test
    void orderedStringsSortLikeStrings() {
        qt(300).forAll(namespaces(), namespaces()).checkAssert((a, b) -> {
            byte[] ea = string(a);
            byte[] eb = string(b);
            assertThat(Integer.signum(Arrays.compareUnsigned(ea, eb))).isEqualTo(Integer.signum(a.compareTo(b)));
            int[] pos = {0};
            assertThat(KeyCodec.readString(ea, pos)).isEqualTo(a);
            assertThat(pos[0]).isEqualTo(ea.length);
        });
    }

    private static byte[] string(String s) {
        var out = new java.io.ByteArrayOutputStream();
        KeyCodec.writeString(out, s);
        return out.toByteArray();
    }

    @Test
    void hintKeysRoundTrip() {
        StoredKey key = StoredKey.of("ns", new byte[] {1, 2, 3});
        byte[] encoded = KeyCodec.hintKey(NodeId.of("node-a"), key);
        assertThat(KeyCodec.targetOfHint(encoded)).isEqualTo(NodeId.of("node-a"));
        assertThat(KeyCodec.storedKeyOfHint(encoded)).isEqualTo(key);
        assertThat(KeyCodec.hasPrefix(encoded, KeyCodec.hintPrefix(NodeId.of("node-a")))).isTrue();
        assertThat(KeyCodec.hasPrefix(encoded, KeyCodec.hintPrefix(NodeId.of("node")))).isFalse();
    }

    @Test
    void partitionRangesAreContiguous() {
        assertThat(Arrays.compareUnsigned(KeyCodec.partitionEnd(Integer.MAX_VALUE),
                KeyCodec.partitionPrefix(Integer.MAX_VALUE))).isPositive();
        assertThat(KeyCodec.partitionEnd(3)).isEqualTo(KeyCodec.partitionPrefix(4));
    }

    static Siblings<Content> sample() {
        ActorId a = new ActorId("a", 1);
        ActorId b = new ActorId("b", 1);
        Siblings<Content> one = Siblings.<Content>empty().update(VersionVector.empty(),
                Content.of(new byte[] {1, 2, 3}, "text/plain", 42), a);
        Siblings<Content> two = Siblings.<Content>empty().update(VersionVector.empty(), Content.tombstone(43), b);
        return one.sync(two);
    }

    @Test
    void dataRecordsRoundTripAndEveryFlippedBitIsDetected() {
        byte[] key = KeyCodec.dataKey(1, StoredKey.of("ns", new byte[] {9}));
        Siblings<Content> state = sample();
        byte[] record = RecordCodec.encodeData(key, state);
        RecordCodec.Data data = RecordCodec.decodeData(key, record, "t");
        assertThat(data.state()).isEqualTo(state);
        assertThat(data.state().values().get(0).value()).isEqualTo(state.values().get(0).value());
        assertThat(data.digest()).isEqualTo(state.versionDigest());
        List<Integer> undetected = new ArrayList<>();
        for (int i = 0; i < record.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = record.clone();
                bad[i] ^= (byte) (1 << bit);
                try {
                    RecordCodec.decodeData(key, bad, "t");
                    undetected.add(i * 8 + bit);
                } catch (StorageException e) {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPTION);
                }
            }
        }
        assertThat(undetected).isEmpty();
        // The same record under another key fails too, and truncation is caught.
        byte[] otherKey = KeyCodec.dataKey(1, StoredKey.of("ns", new byte[] {8}));
        assertThatThrownBy(() -> RecordCodec.decodeData(otherKey, record, "t"))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPTION));
        assertThatThrownBy(() -> RecordCodec.decodeData(key, Arrays.copyOf(record, 3), "t"))
                .isInstanceOf(StorageException.class);
    }

    @Test
    void undecodableStateWithAValidChecksumIsCorruption() {
        byte[] key = {1, 2, 3};
        byte[] payload = new byte[8 + 3];
        payload[8] = 9; // unknown SiblingsCodec format version
        byte[] record = RecordCodec.seal(key, payload);
        assertThatThrownBy(() -> RecordCodec.decodeData(key, record, "t"))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPTION));
    }

    @Test
    void contentRoundTrips() {
        Content c = Content.of(new byte[] {0, 1, 2}, "application/ünïcode", -5);
        assertThat(RecordCodec.decodeContent(RecordCodec.encodeContent(c))).isEqualTo(c);
        Content t = Content.tombstone(7);
        assertThat(RecordCodec.decodeContent(RecordCodec.encodeContent(t))).isEqualTo(t);
    }

    @Test
    void contentDecodesFromItsRangeOnly() {
        Content c = Content.of(new byte[] {4, 5, 6}, "text/plain", 11);
        byte[] encoded = RecordCodec.encodeContent(c);
        byte[] framed = new byte[encoded.length + 6];
        Arrays.fill(framed, (byte) 0x7f);
        System.arraycopy(encoded, 0, framed, 3, encoded.length);
        assertThat(RecordCodec.decodeContent(framed, 3, encoded.length)).isEqualTo(c);
        // One byte short cuts the value, never reads past the range.
        assertThat(RecordCodec.decodeContent(framed, 3, encoded.length - 1).value()).containsExactly(4, 5);
        assertThatThrownBy(() -> RecordCodec.decodeContent(framed, 3, 12))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRecordLayoutIsUnchangedByInPlaceEncoding() {
        // Bytes written by the first version of the codec (payload array, then the envelope): the
        // in-place encoder must produce the same record, so stores written before it still open.
        byte[] key = {1, 2, 3};
        ActorId a = new ActorId("node-a", 1);
        Siblings<Content> state = Siblings.<Content>empty()
                .update(VersionVector.empty(), Content.of(new byte[] {9, 8}, "text/plain", 42), a)
                .update(VersionVector.empty(), Content.of(new byte[] {7}, "application/ünïcode", 43), a);
        SiblingsCodec<Content> arrays = SiblingsCodec.of(content -> {
            byte[] type = content.contentType().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(13 + type.length + content.size()).put((byte) 0)
                    .putLong(content.timestampMillis()).putInt(type.length).put(type).put(content.value()).array();
        }, bytes -> {
            throw new AssertionError("not used");
        });
        byte[] siblings = arrays.encode(state);
        byte[] payload = new byte[8 + siblings.length];
        KeyCodec.putLong(payload, 0, state.versionDigest());
        System.arraycopy(siblings, 0, payload, 8, siblings.length);
        assertThat(RecordCodec.encodeData(key, state)).isEqualTo(RecordCodec.seal(key, payload));
        assertThat(RecordCodec.decodeData(key, RecordCodec.seal(key, payload), "t").state()).isEqualTo(state);
    }
}
