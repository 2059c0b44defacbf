package io.dynamo.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TreeCodecTest {

    @Test
    void anEmptyTreeTakesTwelveBytes() {
        byte[] bytes = TreeCodec.encode(MerkleTree.empty(TreeShape.DEFAULT));

        assertThat(bytes).hasSize(12);
        assertThat(bytes[0]).isEqualTo(TreeCodec.FORMAT_VERSION);
        assertThat(TreeCodec.decode(bytes)).isEqualTo(MerkleTree.empty(TreeShape.DEFAULT).snapshot());
    }

    @Test
    void aFullTreeIsWrittenDenseAtEightBytesPerSegment() {
        TreeShape shape = new TreeShape(4, 2);
        MerkleTree tree = MerkleTree.empty(shape);
        for (int segment = 0; segment < shape.segments(); segment++) {
            tree.add(shape.firstKeyHash(segment), segment);
        }

        assertThat(TreeCodec.encode(tree)).hasSize(12 + 16 * 8);
    }

    @Test
    void aFutureFormatVersionIsRejectedByName() {
        byte[] bytes = TreeCodec.encode(MerkleTree.empty(TreeShape.DEFAULT));
        bytes[0] = 2;

        assertThatThrownBy(() -> TreeCodec.decode(bytes))
                .isInstanceOf(MerkleFormatException.class)
                .hasMessage("unsupported tree format version 2, this codec reads version 1");
    }

    @Test
    void aTruncatedTreeIsRejected() {
        MerkleTree tree = MerkleTree.empty(TreeShape.DEFAULT);
        tree.add(1L, 1L);
        byte[] bytes = TreeCodec.encode(tree);

        assertThatThrownBy(() -> TreeCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(MerkleFormatException.class)
                .hasMessageContaining("checksum mismatch");
        assertThatThrownBy(() -> TreeCodec.decode(new byte[3]))
                .isInstanceOf(MerkleFormatException.class)
                .hasMessage("a tree takes at least 12 bytes, got 3");
    }
}
