package io.dynamo.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class ContentTest {

    @Test
    void ofCopiesTheCallersArray() {
        byte[] value = {1, 2, 3};
        Content c = Content.of(value, "application/octet-stream", 7);
        value[0] = 9;
        assertThat(c.value()).containsExactly(1, 2, 3);
        c.value()[1] = 9;
        assertThat(c.value()).containsExactly(1, 2, 3);
    }

    @Test
    void aWrappedRangeEqualsTheSameBytesAnywhere() {
        byte[] record = {9, 9, 1, 2, 3, 9};
        Content wrapped = Content.wrap(record, 2, 3, "text/plain", 5);
        Content copied = Content.of(new byte[] {1, 2, 3}, "text/plain", 5);
        assertThat(wrapped).isEqualTo(copied).hasSameHashCodeAs(copied);
        assertThat(wrapped.size()).isEqualTo(3);
        assertThat(wrapped.value()).containsExactly(1, 2, 3);
        assertThat(wrapped).isNotEqualTo(Content.wrap(record, 1, 3, "text/plain", 5));
        byte[] dst = new byte[5];
        wrapped.copyValueTo(dst, 1);
        assertThat(dst).containsExactly(0, 1, 2, 3, 0);
    }

    @Test
    void theValueBufferIsAReadOnlyViewOfTheRange() {
        byte[] record = {9, 1, 2, 9};
        ByteBuffer b = Content.wrap(record, 1, 2, "t", 0).valueBuffer();
        assertThat(b.remaining()).isEqualTo(2);
        assertThat(b.get(0)).isEqualTo((byte) 1);
        assertThat(b.get(1)).isEqualTo((byte) 2);
        assertThatThrownBy(() -> b.put(0, (byte) 5)).isInstanceOf(ReadOnlyBufferException.class);
    }

    @Test
    void aRangeOutsideTheArrayIsRejected() {
        assertThatThrownBy(() -> Content.wrap(new byte[4], 2, 3, "t", 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Content.wrap(new byte[4], -1, 1, "t", 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void tombstonesHaveNoValue() {
        Content t = Content.tombstone(3);
        assertThat(t.isTombstone()).isTrue();
        assertThat(t.size()).isZero();
        assertThat(t).isEqualTo(Content.tombstone(3)).isNotEqualTo(Content.of(new byte[0], "", 3));
    }
}
