package io.dynamo.ycsb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class RecordCodecProperties {

    @Property(tries = 1000)
    void anyRecordRoundTrips(@ForAll @Size(max = 12) Map<@StringLength(min = 1, max = 20) String, byte[]> record) {
        assertThat(RecordCodecTest.content(RecordCodec.decode(RecordCodec.encode(record))))
                .isEqualTo(RecordCodecTest.content(record));
    }

    @Property(tries = 1000)
    void anyCutOrFlippedRecordDecodesOrFailsClearly(@ForAll @Size(max = 5) Map<@StringLength(min = 1, max = 8) String,
            byte[]> record, @ForAll int position, @ForAll byte replacement) {
        byte[] bytes = RecordCodec.encode(record);
        bytes[Math.floorMod(position, bytes.length)] = replacement;
        try {
            RecordCodec.decode(bytes);
        } catch (RecordFormatException e) {
            assertThat(e).hasMessageStartingWith("not a YCSB record");
        }
    }
}
