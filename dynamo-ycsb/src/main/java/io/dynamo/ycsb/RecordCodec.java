package io.dynamo.ycsb;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The value a YCSB record is stored as: all its fields in one byte array.
 *
 * <pre>
 * record  = version:u8 (= 1)  count:i32  field*count
 * field   = nameLength:i32  name:UTF-8[nameLength]  valueLength:i32  value[valueLength]
 * </pre>
 *
 * <p>Integers are 4-byte big-endian and never negative; names are distinct, non-empty, and
 * written in ascending order (so equal records encode to equal bytes). The empty record is the
 * five bytes {@code 01 00 00 00 00}. A 10-field YCSB record of 100-byte values with names
 * {@code field0} to {@code field9} takes 1 + 4 + 10 * (4 + 6 + 4 + 100) = 1,145 bytes.
 *
 * <p>{@link #decode} checks everything and throws {@link RecordFormatException}, naming the
 * offset, for bytes that are not such a record (a value some other program wrote to the key).
 */
public final class RecordCodec {

    /** The first byte of every record. */
    public static final byte VERSION = 1;

    private static final int HEADER_BYTES = 1 + 4;

    private RecordCodec() {
    }

    /**
     * The bytes of a record.
     *
     * @throws IllegalArgumentException for an empty field name, or a record too large for one array
     */
    public static byte[] encode(Map<String, byte[]> fields) {
        Objects.requireNonNull(fields, "fields");
        List<String> names = new ArrayList<>(fields.keySet());
        names.sort(null);
        List<byte[]> encodedNames = new ArrayList<>(names.size());
        long size = HEADER_BYTES;
        for (String name : names) {
            Objects.requireNonNull(name, "a field name is null");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a field name is empty");
            }
            byte[] value = Objects.requireNonNull(fields.get(name), () -> "the value of field '" + name + "' is null");
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            encodedNames.add(n);
            size += 4L + n.length + 4L + value.length;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("the record is too large to encode: " + size + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size);
        out.put(VERSION).putInt(names.size());
        for (int i = 0; i < names.size(); i++) {
            byte[] n = encodedNames.get(i);
            byte[] value = fields.get(names.get(i));
            out.putInt(n.length).put(n).putInt(value.length).put(value);
        }
        return out.array();
    }

    /**
     * The fields of a record, in the order they were written (ascending names).
     *
     * @throws RecordFormatException if the bytes are not a record this codec wrote
     */
    public static Map<String, byte[]> decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length < HEADER_BYTES) {
            throw new RecordFormatException("not a YCSB record: " + bytes.length + " bytes, fewer than the "
                    + HEADER_BYTES + "-byte header");
        }
        if (bytes[0] != VERSION) {
            throw new RecordFormatException("not a YCSB record: format version " + (bytes[0] & 0xff)
                    + " at offset 0, expected " + VERSION);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.get();
        int count = in.getInt();
        // Each field takes at least 4 + 1 + 4 bytes: a count larger than that allows is corrupt.
        if (count < 0 || count > (bytes.length - HEADER_BYTES) / 9) {
            throw new RecordFormatException("not a YCSB record: field count " + count + " at offset 1 does not fit in "
                    + bytes.length + " bytes");
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        Map<String, byte[]> fields = new LinkedHashMap<>(Math.max(4, count * 2));
        for (int i = 0; i < count; i++) {
            int nameAt = in.position();
            int nameLength = length(in, "name", i);
            if (nameLength == 0) {
                throw new RecordFormatException("not a YCSB record: field " + i + " has an empty name (offset "
                        + nameAt + ")");
            }
            String name;
            try {
                CharBuffer chars = utf8.decode(in.slice(in.position(), nameLength));
                name = chars.toString();
            } catch (CharacterCodingException e) {
                throw new RecordFormatException("not a YCSB record: the name of field " + i + " at offset "
                        + (nameAt + 4) + " is not UTF-8", e);
            }
            in.position(in.position() + nameLength);
            int valueLength = length(in, "value", i);
            byte[] value = new byte[valueLength];
            in.get(value);
            if (fields.put(name, value) != null) {
                throw new RecordFormatException("not a YCSB record: field '" + name + "' appears twice (offset "
                        + nameAt + ")");
            }
        }
        if (in.hasRemaining()) {
            throw new RecordFormatException("not a YCSB record: " + in.remaining() + " bytes after the last field (offset "
                    + in.position() + ")");
        }
        return fields;
    }

    /** Reads a length prefix and checks that many bytes follow it. */
    private static int length(ByteBuffer in, String what, int field) {
        int at = in.position();
        if (in.remaining() < 4) {
            throw new RecordFormatException("not a YCSB record: truncated at offset " + at + ", in the " + what
                    + " length of field " + field);
        }
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new RecordFormatException("not a YCSB record: the " + what + " of field " + field + " claims "
                    + length + " bytes at offset " + at + ", but " + in.remaining() + " remain");
        }
        return length;
    }
}
