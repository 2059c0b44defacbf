package io.dynamo.core.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class VersionVectorProperties {

    @Provide
    Arbitrary<VersionVector> vv() {
        return VersioningArbitraries.vectors();
    }

    @Provide
    Arbitrary<ActorId> actor() {
        return VersioningArbitraries.actors();
    }

    @Property
    void mergeIsCommutative(@ForAll("vv") VersionVector a, @ForAll("vv") VersionVector b) {
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
    }

    @Property
    void mergeIsAssociative(@ForAll("vv") VersionVector a, @ForAll("vv") VersionVector b,
                            @ForAll("vv") VersionVector c) {
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    }

    @Property
    void mergeIsIdempotent(@ForAll("vv") VersionVector a, @ForAll("vv") VersionVector b) {
        assertThat(a.merge(a)).isEqualTo(a);
        assertThat(a.merge(b).merge(b)).isEqualTo(a.merge(b));
    }

    @Property
    void compareIsAntisymmetric(@ForAll("vv") VersionVector a, @ForAll("vv") VersionVector b) {
        assertThat(b.compare(a)).isEqualTo(a.compare(b).inverse());
        assertThat(a.compare(b) == Occurred.EQUAL).isEqualTo(a.equals(b));
    }

    @Property
    void compareAgreesWithMerge(@ForAll("vv") VersionVector a, @ForAll("vv") VersionVector b) {
        VersionVector join = a.merge(b);
        assertThat(a.compare(join).isBeforeOrEqual()).isTrue();
        assertThat(b.compare(join).isBeforeOrEqual()).isTrue();
        assertThat(a.compare(b).isBeforeOrEqual()).isEqualTo(join.equals(b));
        assertThat(b.descendsFrom(a)).isEqualTo(join.equals(b));
    }

    @Property
    void mergeIsThePointwiseMaximum(@ForAll("vv") VersionVector a, @ForAll("vv") VersionVector b,
                                    @ForAll("actor") ActorId actor) {
        VersionVector join = a.merge(b);
        assertThat(join.counter(actor)).isEqualTo(Math.max(a.counter(actor), b.counter(actor)));
        if (join.counter(actor) > 0) {
            assertThat(join.covers(new Dot(actor, join.counter(actor)))).isTrue();
            assertThat(join.covers(new Dot(actor, join.counter(actor) + 1))).isFalse();
        }
    }
}
