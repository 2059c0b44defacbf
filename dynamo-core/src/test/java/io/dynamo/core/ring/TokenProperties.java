package io.dynamo.core.ring;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dynamo.core.testing.Gens;
import org.junit.jupiter.api.Test;

class TokenProperties {

    @Test
    void fractionBetweenTokensIsTheUnsignedDistanceOverTheRing() {
        qt(1000).forAll(Gens.longs(), Gens.longs(), Gens.longs()).checkAssert((hi, lo, dHi) -> {
            Token a = new Token(hi, lo);
            Token b = new Token(hi + dHi, lo);
            double expected = ((double) (dHi >>> 1) * 2 + (dHi & 1)) / 0x1p64;

            assertThat(b.fractionSince(a)).isCloseTo(expected, within(1e-15));
            assertThat(a.fractionSince(a)).isZero();
            if (dHi != 0) {
                assertThat(b.fractionSince(a) + a.fractionSince(b)).isCloseTo(1.0, within(1e-12));
            }
        });
    }

    @Test
    void orderIsUnsignedAndMatchesTheBigEndianBytes() {
        qt(1000).forAll(Gens.byteArrays(0, 255), Gens.byteArrays(0, 255)).checkAssert((left, right) -> {
            byte[] a = java.util.Arrays.copyOf(left, 16);
            byte[] b = java.util.Arrays.copyOf(right, 16);

            int expected = Integer.signum(java.util.Arrays.compareUnsigned(a, b));

            assertThat(Integer.signum(Token.fromBytes(a, 0).compareTo(Token.fromBytes(b, 0)))).isEqualTo(expected);
        });
    }
}
