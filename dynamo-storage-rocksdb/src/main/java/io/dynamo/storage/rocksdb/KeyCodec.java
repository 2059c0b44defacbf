package io.dynamo.storage.rocksdb;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.StoredKey;
import java.io.ByteArrayOutputStream;

/**
 * The byte layout of RocksDB keys. Every encoding is order-preserving: comparing two encoded keys
 * byte by byte (unsigned, RocksDB's default comparator) gives the same order as comparing what they
 * encode, so a partition's keys iterate in {@link StoredKey#compareTo} order and one Merkle segment
 * (a contiguous key hash range) is one range scan.
 *
 * <pre>
 * data key  = partition (u32 BE) | keyHash (u64 BE) | namespace (ordered string) | key bytes
 * hint key  = target (ordered string) | keyHash (u64 BE) | namespace (ordered string) | key bytes
 * </pre>
 *
 * <p><b>Ordered string.</b> {@link String#compareTo} compares UTF-16 code units, and a key's bytes
 * follow its namespace, so the namespace needs an encoding that is prefix-free and sorts like the
 * code units. Each code unit {@code u} becomes: {@code u} itself for 2..0x7F (one byte, the usual
 * ASCII case); {@code 0x01 u} for 0 and 1; {@code 0x80 hi lo} for 0x80 and above; the string ends
 * with {@code 0x00}. The first byte tells the length, and the byte sequences are increasing in
 * {@code u}, with the terminator below everything, so a shorter string sorts before its extensions.
 */
final class KeyCodec {

    static final int PARTITION_BYTES = 4;
    static final int HASH_BYTES = 8;

    private KeyCodec() {
    }

    /** The 4-byte prefix shared by every key of {@code partition}. */
    static byte[] partitionPrefix(int partition) {
        byte[] out = new byte[PARTITION_BYTES];
        putInt(out, 0, partition);
        return out;
    }

    /**
     * The first key after every key of {@code partition}: the next partition's prefix (partitions
     * are non-negative, so {@code partition + 1} read as unsigned never wraps).
     */
    static byte[] partitionEnd(int partition) {
        return partitionPrefix(partition + 1);
    }

    /** The smallest data key of {@code partition} whose key hash is {@code keyHash}. */
    static byte[] hashPrefix(int partition, long keyHash) {
        byte[] out = new byte[PARTITION_BYTES + HASH_BYTES];
        putInt(out, 0, partition);
        putLong(out, PARTITION_BYTES, keyHash);
        return out;
    }

    /** Encoded straight into an array of the exact size: every read and write builds one. */
    static byte[] dataKey(int partition, StoredKey key) {
        String namespace = key.namespace();
        byte[] bytes = key.bytes();
        int at = PARTITION_BYTES + HASH_BYTES;
        byte[] out = new byte[at + orderedLength(namespace) + bytes.length];
        putInt(out, 0, partition);
        putLong(out, PARTITION_BYTES, key.keyHash());
        at = writeString(out, at, namespace);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return out;
    }

    static int partitionOf(byte[] dataKey) {
        return getInt(dataKey, 0);
    }

    static long keyHashOf(byte[] dataKey) {
        return getLong(dataKey, PARTITION_BYTES);
    }

    /** Whether {@code key} starts with {@code prefix}. */
    static boolean hasPrefix(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The stored key of a data key; throws {@link IllegalArgumentException} if it is malformed. */
    static StoredKey storedKeyOfData(byte[] dataKey) {
        return readStoredKey(dataKey, PARTITION_BYTES);
    }

    static byte[] hintPrefix(NodeId target) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16);
        writeString(out, target.value());
        return out.toByteArray();
    }

    static byte[] hintKey(NodeId target, StoredKey key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(48 + key.length());
        writeString(out, target.value());
        writeStoredKey(out, key);
        return out.toByteArray();
    }

    /** The target of a hint key. */
    static NodeId targetOfHint(byte[] hintKey) {
        int[] pos = {0};
        return NodeId.of(readString(hintKey, pos));
    }

    /** The stored key of a hint key. */
    static StoredKey storedKeyOfHint(byte[] hintKey) {
        int[] pos = {0};
        readString(hintKey, pos);
        return readStoredKey(hintKey, pos[0]);
    }

    private static void writeStoredKey(ByteArrayOutputStream out, StoredKey key) {
        byte[] hash = new byte[HASH_BYTES];
        putLong(hash, 0, key.keyHash());
        out.writeBytes(hash);
        writeString(out, key.namespace());
        out.writeBytes(key.bytes());
    }

    private static StoredKey readStoredKey(byte[] buf, int offset) {
        if (buf.length < offset + HASH_BYTES) {
            throw new IllegalArgumentException("key too short for its key hash");
        }
        long keyHash = getLong(buf, offset);
        int[] pos = {offset + HASH_BYTES};
        String namespace = readString(buf, pos);
        byte[] bytes = java.util.Arrays.copyOfRange(buf, pos[0], buf.length);
        StoredKey key = StoredKey.of(namespace, bytes);
        if (key.keyHash() != keyHash) {
            throw new IllegalArgumentException("stored key hash does not match the key");
        }
        return key;
    }

    static void writeString(ByteArrayOutputStream out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char u = s.charAt(i);
            if (u >= 2 && u <= 0x7F) {
                out.write(u);
            } else if (u < 2) {
                out.write(0x01);
                out.write(u);
            } else {
                out.write(0x80);
                out.write(u >>> 8);
                out.write(u & 0xFF);
            }
        }
        out.write(0x00);
    }

    /** The length of {@code s} as an ordered string, terminator included. */
    static int orderedLength(String s) {
        int length = 1;
        for (int i = 0; i < s.length(); i++) {
            char u = s.charAt(i);
            length += u >= 2 && u <= 0x7F ? 1 : u < 2 ? 2 : 3;
        }
        return length;
    }

    /** Writes {@code s} as an ordered string at {@code at}; returns the index after its terminator. */
    static int writeString(byte[] out, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            char u = s.charAt(i);
            if (u >= 2 && u <= 0x7F) {
                out[at++] = (byte) u;
            } else if (u < 2) {
                out[at++] = 0x01;
                out[at++] = (byte) u;
            } else {
                out[at++] = (byte) 0x80;
                out[at++] = (byte) (u >>> 8);
                out[at++] = (byte) u;
            }
        }
        out[at++] = 0x00;
        return at;
    }

    /** Reads an ordered string at {@code pos[0]} and advances it past the terminator. */
    static String readString(byte[] buf, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int i = pos[0];
        while (true) {
            if (i >= buf.length) {
                throw new IllegalArgumentException("unterminated string in key");
            }
            int b = buf[i++] & 0xFF;
            if (b == 0x00) {
                break;
            } else if (b == 0x01) {
                if (i >= buf.length || (buf[i] & 0xFF) > 1) {
                    throw new IllegalArgumentException("bad escape in key string");
                }
                sb.append((char) buf[i++]);
            } else if (b <= 0x7F) {
                sb.append((char) b);
            } else if (b == 0x80) {
                if (i + 2 > buf.length) {
                    throw new IllegalArgumentException("truncated character in key string");
                }
                char u = (char) (((buf[i] & 0xFF) << 8) | (buf[i + 1] & 0xFF));
                if (u < 0x80) {
                    throw new IllegalArgumentException("non-canonical character in key string");
                }
                sb.append(u);
                i += 2;
            } else {
                throw new IllegalArgumentException("bad byte 0x" + Integer.toHexString(b) + " in key string");
            }
        }
        pos[0] = i;
        return sb.toString();
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }

    static long getLong(byte[] b, int off) {
        return ((long) getInt(b, off) << 32) | (getInt(b, off + 4) & 0xFFFFFFFFL);
    }
}
