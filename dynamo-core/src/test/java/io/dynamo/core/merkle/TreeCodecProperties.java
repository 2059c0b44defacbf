package io.dynamo.core.merkle;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.lists;

import io.dynamo.core.testing.Gens;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class TreeCodecProperties {

    @Test
    void encodingRoundTripsAndPicksTheShorterLayout() {
        qt(1000).forAll(TreeGen.shapes(), TreeGen.contents()).checkAssert((shape, contents) -> {
            TreeSnapshot tree = MerkleTree.rebuild(shape, TreeGen.entries(contents)).snapshot();

            byte[] bytes = TreeCodec.encode(tree);
            TreeSnapshot decoded = TreeCodec.decode(bytes);

            assertThat(decoded).isEqualTo(tree);
            assertThat(TreeCodec.encode(decoded)).isEqualTo(bytes);
            long nonZero = Arrays.stream(segmentsOf(tree)).filter(h -> h != 0).count();
            assertThat(bytes).hasSize(12 + (int) Math.min(8L * shape.segments(), 12 * nonZero));
        });
    }

    @Test
    void randomBytesAreRejectedOnlyWithTheFormatException() {
        qt(1000).forAll(Gens.byteArrays(0, 300)).checkAssert(bytes -> {
            decodeOrReject(bytes);
        });
    }

    @Test
    void anySingleByteChangeIsDetected() {
        qt(1000).forAll(TreeGen.shapes(), TreeGen.contents(), Gens.ints(), Gens.bytes())
                .checkAssert((shape, contents, position, xor) -> {
                    byte[] bytes = TreeCodec.encode(MerkleTree.rebuild(shape, TreeGen.entries(contents)));
                    int at = Math.floorMod(position, bytes.length);
                    bytes[at] ^= xor == 0 ? 1 : xor;

                    assertThatThrownBy(() -> TreeCodec.decode(bytes)).isInstanceOf(MerkleFormatException.class);
                });
    }

    /** Corruptions that keep a valid checksum reach the structural checks behind it. */
    @Test
    void corruptionBehindAValidChecksumIsRejectedOnlyWithTheFormatException() {
        qt(1000).forAll(TreeGen.shapes(), TreeGen.contents(), corruptions())
                .checkAssert((shape, contents, corruptions) -> {
                    byte[] body = TreeCodec.encode(MerkleTree.rebuild(shape, TreeGen.entries(contents)));
                    body = Arrays.copyOf(body, body.length - 4);
                    for (Corruption c : corruptions) {
                        body = c.apply(body);
                    }

                    decodeOrReject(withChecksum(body));
                });
    }

    record Corruption(int kind, int position, byte value) {
        byte[] apply(byte[] body) {
            if (body.length == 0) {
                return new byte[] {value};
            }
            int at = Math.floorMod(position, body.length);
            return switch (kind) {
                case 0 -> { // overwrite one byte, biased to the header
                    byte[] copy = body.clone();
                    copy[Math.floorMod(position, Math.min(body.length, position % 2 == 0 ? 8 : body.length))] = value;
                    yield copy;
                }
                case 1 -> Arrays.copyOf(body, at); // truncate
                default -> { // insert a byte
                    byte[] copy = new byte[body.length + 1];
                    System.arraycopy(body, 0, copy, 0, at);
                    copy[at] = value;
                    System.arraycopy(body, at, copy, at + 1, body.length - at);
                    yield copy;
                }
            };
        }
    }

    private static void decodeOrReject(byte[] bytes) {
        TreeSnapshot decoded;
        try {
            decoded = TreeCodec.decode(bytes);
        } catch (MerkleFormatException expected) {
            assertThat(expected).hasMessageNotContaining("null");
            return;
        }
        TreeGen.assertConsistent(decoded);
        assertThat(TreeCodec.decode(TreeCodec.encode(decoded))).isEqualTo(decoded);
    }

    private static byte[] withChecksum(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
    }

    private static long[] segmentsOf(TreeView tree) {
        int[] all = IntStream.range(0, tree.shape().segments()).toArray();
        return tree.levelHashes(tree.shape().depth(), all);
    }

    static Gen<List<Corruption>> corruptions() {
        return lists().of(Generate.range(0, 2).zip(Gens.ints(), Gens.bytes(), Corruption::new)).ofSizeBetween(1, 3);
    }
}
