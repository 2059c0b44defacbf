package io.dynamo.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TreeShapeTest {

    @Test
    void theDefaultHas4096SegmentsThreeLevelsDown() {
        assertThat(TreeShape.DEFAULT.segments()).isEqualTo(4_096);
        assertThat(TreeShape.DEFAULT.depth()).isEqualTo(3);
        assertThat(TreeShape.DEFAULT.nodesAt(0)).isEqualTo(1);
    }

    @Test
    void aKeyHashChoosesItsSegmentByItsTopBits() {
        TreeShape shape = new TreeShape(16, 2); // 256 segments: the top byte
        assertThat(shape.segmentOf(0x00ff_ffff_ffff_ffffL)).isZero();
        assertThat(shape.segmentOf(0x0100_0000_0000_0000L)).isEqualTo(1);
        assertThat(shape.segmentOf(-1L)).isEqualTo(255);
        assertThat(shape.firstKeyHash(255)).isEqualTo(0xff00_0000_0000_0000L);
        assertThat(shape.lastKeyHash(255)).isEqualTo(-1L);
    }

    @Test
    void tictacsLargeTwoLevelShapeIsAllowed() {
        assertThat(new TreeShape(1024, 2).segments()).isEqualTo(1 << 20);
    }

    @Test
    void aWidthThatIsNotAPowerOfTwoIsRejectedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> new TreeShape(100, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("merkle.width must be a power of two between 2 and 1024, was 100");
        assertThatThrownBy(() -> new TreeShape(1, 2)).hasMessageContaining("was 1");
        assertThatThrownBy(() -> new TreeShape(2048, 1)).hasMessageContaining("was 2048");
    }

    @Test
    void aDepthBelowOneIsRejected() {
        assertThatThrownBy(() -> new TreeShape(16, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("merkle.depth must be at least 1, was 0");
    }

    @Test
    void aTreeOfMoreThanAMillionSegmentsIsRejected() {
        assertThatThrownBy(() -> new TreeShape(16, 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("merkle.width^merkle.depth must be at most 2^20 segments, was 16^6 = 2^24");
    }

    @Test
    void nodeIndicesOutsideALevelAreRejected() {
        MerkleTree tree = MerkleTree.empty(new TreeShape(4, 2));
        assertThatThrownBy(() -> tree.nodeHash(1, 4)).hasMessage("node index at level 1 must be in [0, 4), was 4");
        assertThatThrownBy(() -> tree.levelHashes(3, new int[] {0})).hasMessage("level must be in [0, 2], was 3");
    }
}
