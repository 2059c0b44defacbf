package io.dynamo.core.versioning;

import static io.dynamo.core.testing.Theories.qt;
import static io.dynamo.core.versioning.VersioningGens.actors;
import static io.dynamo.core.versioning.VersioningGens.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionVectorProperties {

    @Test
    void mergeIsCommutative() {
        qt(1000).forAll(vectors(), vectors()).checkAssert((a, b) -> {
            assertThat(a.merge(b)).isEqualTo(b.merge(a));
        });
    }

    @Test
    void mergeIsAssociative() {
        qt(1000).forAll(vectors(), vectors(), vectors()).checkAssert((a, b, c) -> {
            assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
        });
    }

    @Test
    void mergeIsIdempotent() {
        qt(1000).forAll(vectors(), vectors()).checkAssert((a, b) -> {
            assertThat(a.merge(a)).isEqualTo(a);
            assertThat(a.merge(b).merge(b)).isEqualTo(a.merge(b));
        });
    }

    @Test
    void compareIsAntisymmetric() {
        qt(1000).forAll(vectors(), vectors()).checkAssert((a, b) -> {
            assertThat(b.compare(a)).isEqualTo(a.compare(b).inverse());
            assertThat(a.compare(b) == Occurred.EQUAL).isEqualTo(a.equals(b));
        });
    }

    @Test
    void compareAgreesWithMerge() {
        qt(1000).forAll(vectors(), vectors()).checkAssert((a, b) -> {
            VersionVector join = a.merge(b);
            assertThat(a.compare(join).isBeforeOrEqual()).isTrue();
            assertThat(b.compare(join).isBeforeOrEqual()).isTrue();
            assertThat(a.compare(b).isBeforeOrEqual()).isEqualTo(join.equals(b));
            assertThat(b.descendsFrom(a)).isEqualTo(join.equals(b));
        });
    }

    @Test
    void mergeIsThePointwiseMaximum() {
        qt(1000).forAll(vectors(), vectors(), actors()).checkAssert((a, b, actor) -> {
            VersionVector join = a.merge(b);
            assertThat(join.counter(actor)).isEqualTo(Math.max(a.counter(actor), b.counter(actor)));
            if (join.counter(actor) > 0) {
                assertThat(join.covers(new Dot(actor, join.counter(actor)))).isTrue();
                assertThat(join.covers(new Dot(actor, join.counter(actor) + 1))).isFalse();
            }
        });
    }
}
