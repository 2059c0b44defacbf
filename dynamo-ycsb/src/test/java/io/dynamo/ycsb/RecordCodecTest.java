package io.dynamo.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Compares records by content (byte arrays have identity equality). */
    static Map<String, List<Byte>> content(Map<String, byte[]> record) {
        Map<String, List<Byte>> out = new HashMap<>();
        record.forEach((k, v) -> {
            Byte[] boxed = new Byte[v.length];
            for (int i = 0; i < v.length; i++) {
                boxed[i] = v[i];
            }
            out.put(k, Arrays.asList(boxed));
        });
        return out;
    }

    @Test
    void roundTripOfAYcsbRecord() {
        Map<String, byte[]> record = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            byte[] value = new byte[100];
            Arrays.fill(value, (byte) (i * 31));
            record.put("field" + i, value);
        }
        byte[] bytes = RecordCodec.encode(record);
        assertThat(bytes).hasSize(1 + 4 + 10 * (4 + 6 + 4 + 100));
        Map<String, byte[]> decoded = RecordCodec.decode(bytes);
        assertThat(content(decoded)).isEqualTo(content(record));
        assertThat(decoded.keySet()).containsExactly("field0", "field1", "field2", "field3", "field4", "field5",
                "field6", "field7", "field8", "field9");
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        byte[] bytes = RecordCodec.encode(Map.of("b", new byte[] {7}, "a", new byte[0]));
        ByteBuffer expected = ByteBuffer.allocate(1 + 4 + (4 + 1 + 4) + (4 + 1 + 4 + 1));
        expected.put((byte) 1).putInt(2);
        expected.putInt(1).put((byte) 'a').putInt(0);
        expected.putInt(1).put((byte) 'b').putInt(1).put((byte) 7);
        assertThat(bytes).isEqualTo(expected.array());
    }

    @Test
    void emptyRecord() {
        byte[] bytes = RecordCodec.encode(Map.of());
        assertThat(bytes).containsExactly(1, 0, 0, 0, 0);
        assertThat(RecordCodec.decode(bytes)).isEmpty();
    }

    @Test
    void equalRecordsEncodeToEqualBytes() {
        Map<String, byte[]> one = new java.util.LinkedHashMap<>();
        one.put("x", utf8("1"));
        one.put("a", utf8("2"));
        Map<String, byte[]> other = new java.util.LinkedHashMap<>();
        other.put("a", utf8("2"));
        other.put("x", utf8("1"));
        assertThat(RecordCodec.encode(one)).isEqualTo(RecordCodec.encode(other));
    }

    @Test
    void emptyNamesAreRefused() {
        assertThatThrownBy(() -> RecordCodec.encode(Map.of("", new byte[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void tooFewBytesForTheHeader() {
        assertThatThrownBy(() -> RecordCodec.decode(new byte[0])).isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("not a YCSB record: 0 bytes");
        assertThatThrownBy(() -> RecordCodec.decode(new byte[] {1, 0, 0})).isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("header");
    }

    @Test
    void otherBytesAreNotARecord() {
        assertThatThrownBy(() -> RecordCodec.decode(utf8("hello world"))).isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("format version 104 at offset 0");
    }

    @Test
    void aFieldCountTheBytesCannotHold() {
        byte[] bytes = ByteBuffer.allocate(5 + 9).put((byte) 1).putInt(2).array();
        assertThatThrownBy(() -> RecordCodec.decode(bytes)).isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("field count 2 at offset 1");
        byte[] negative = ByteBuffer.allocate(5).put((byte) 1).putInt(-1).array();
        assertThatThrownBy(() -> RecordCodec.decode(negative)).isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("field count -1");
    }

    @Test
    void truncatedRecords() {
        byte[] whole = RecordCodec.encode(Map.of("field0", new byte[20], "field1", new byte[20]));
        for (int length = 5; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> RecordCodec.decode(cut)).as("cut to %d bytes", length)
                    .isInstanceOf(RecordFormatException.class).hasMessageStartingWith("not a YCSB record");
        }
    }

    @Test
    void aLengthLargerThanWhatRemains() {
        byte[] bytes = RecordCodec.encode(Map.of("f", new byte[3]));
        ByteBuffer.wrap(bytes).putInt(5 + 4 + 1, 1000);
        assertThatThrownBy(() -> RecordCodec.decode(bytes)).isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("the value of field 0 claims 1000 bytes at offset 10, but 3 remain");
    }

    @Test
    void trailingBytes() {
        byte[] bytes = Arrays.copyOf(RecordCodec.encode(Map.of("f", new byte[3])), 5 + 4 + 1 + 4 + 3 + 2);
        assertThatThrownBy(() -> RecordCodec.decode(bytes)).isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("2 bytes after the last field");
    }

    @Test
    void duplicateAndEmptyAndNonUtf8Names() {
        ByteBuffer dup = ByteBuffer.allocate(5 + 2 * (4 + 1 + 4)).put((byte) 1).putInt(2);
        dup.putInt(1).put((byte) 'a').putInt(0).putInt(1).put((byte) 'a').putInt(0);
        assertThatThrownBy(() -> RecordCodec.decode(dup.array())).isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("field 'a' appears twice");

        ByteBuffer empty = ByteBuffer.allocate(5 + 4 + 4 + 1).put((byte) 1).putInt(1);
        empty.putInt(0).putInt(1).put((byte) 0);
        assertThatThrownBy(() -> RecordCodec.decode(empty.array())).isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("field 0 has an empty name");

        ByteBuffer bad = ByteBuffer.allocate(5 + 4 + 2 + 4).put((byte) 1).putInt(1);
        bad.putInt(2).put((byte) 0xc3).put((byte) 0x28).putInt(0);
        assertThatThrownBy(() -> RecordCodec.decode(bad.array())).isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("is not UTF-8");
    }
}
