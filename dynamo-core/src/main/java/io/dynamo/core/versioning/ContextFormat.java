package io.dynamo.core.versioning;

import java.nio.charset.StandardCharsets;

/**
 * The body of an encoded version vector, shared by {@link ContextCodec} and
 * {@link SiblingsCodec}: a table of distinct node names, then one entry per actor naming its node
 * by index. Decoding accepts only the canonical form that encoding produces, so
 * {@code encode(decode(b))} equals {@code b} for every accepted {@code b}.
 */
final class ContextFormat {

    /** Smallest encoded name: a 1-byte length and at least one byte of text. */
    private static final int MIN_NAME_BYTES = 2;
    /** Smallest encoded entry: name index, 8-byte incarnation, counter. */
    static final int MIN_ENTRY_BYTES = 10;

    private ContextFormat() {
    }

    static void write(ByteWriter out, VersionVector vv) {
        int n = vv.size();
        int[] nameIndex = new int[n];
        int names = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || !vv.actorAt(i).node().equals(vv.actorAt(i - 1).node())) {
                names++;
            }
            nameIndex[i] = names - 1;
        }
        out.uvarint(names);
        for (int i = 0; i < n; i++) {
            if (i == 0 || nameIndex[i] != nameIndex[i - 1]) {
                byte[] utf8 = vv.actorAt(i).node().getBytes(StandardCharsets.UTF_8);
                out.uvarint(utf8.length);
                out.bytes(utf8);
            }
        }
        out.uvarint(n);
        for (int i = 0; i < n; i++) {
            out.uvarint(nameIndex[i]);
            out.fixed64(vv.actorAt(i).incarnation());
            out.uvarint(vv.counterAt(i));
        }
    }

    static VersionVector read(ByteReader in) throws Malformed {
        int nameCount = in.count(MIN_NAME_BYTES, "node name");
        String[] names = new String[nameCount];
        for (int i = 0; i < nameCount; i++) {
            long len = in.uvarint();
            if (len < 1 || len > ActorId.MAX_NODE_BYTES) {
                throw new Malformed("node name length " + len + " outside 1.." + ActorId.MAX_NODE_BYTES);
            }
            names[i] = in.utf8((int) len);
            if (i > 0 && names[i - 1].compareTo(names[i]) >= 0) {
                throw new Malformed("node names not in strictly increasing order at name " + i);
            }
        }
        int entryCount = in.count(MIN_ENTRY_BYTES, "actor");
        if (entryCount < nameCount) {
            throw new Malformed("node name table lists names no actor uses");
        }
        ActorId[] actors = new ActorId[entryCount];
        long[] counters = new long[entryCount];
        long previousName = -1;
        long previousIncarnation = 0;
        int namesUsed = 0;
        for (int i = 0; i < entryCount; i++) {
            long name = in.uvarint();
            long incarnation = in.fixed64();
            long counter = in.uvarint();
            if (name >= nameCount) {
                throw new Malformed("actor " + i + " names node " + name + " of " + nameCount);
            }
            if (name < previousName || (name == previousName && incarnation <= previousIncarnation)) {
                throw new Malformed("actors not in strictly increasing order at actor " + i);
            }
            if (name != previousName) {
                if (name != namesUsed) {
                    throw new Malformed("node name " + namesUsed + " is used by no actor");
                }
                namesUsed++;
            }
            if (counter < 1) {
                throw new Malformed("actor " + i + " has counter 0");
            }
            actors[i] = new ActorId(names[(int) name], incarnation);
            counters[i] = counter;
            previousName = name;
            previousIncarnation = incarnation;
        }
        if (namesUsed != nameCount) {
            throw new Malformed("node name table lists names no actor uses");
        }
        return VersionVector.ofSorted(actors, counters);
    }
}
