package io.dynamo.core.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class TokenProperties {

    @Property
    void fractionBetweenTokensIsTheUnsignedDistanceOverTheRing(@ForAll long hi, @ForAll long lo, @ForAll long dHi) {
        Token a = new Token(hi, lo);
        Token b = new Token(hi + dHi, lo);
        double expected = ((double) (dHi >>> 1) * 2 + (dHi & 1)) / 0x1p64;

        assertThat(b.fractionSince(a)).isCloseTo(expected, within(1e-15));
        assertThat(a.fractionSince(a)).isZero();
        if (dHi != 0) {
            assertThat(b.fractionSince(a) + a.fractionSince(b)).isCloseTo(1.0, within(1e-12));
        }
    }

    @Property
    void orderIsUnsignedAndMatchesTheBigEndianBytes(@ForAll byte[] left, @ForAll byte[] right) {
        byte[] a = java.util.Arrays.copyOf(left, 16);
        byte[] b = java.util.Arrays.copyOf(right, 16);

        int expected = Integer.signum(java.util.Arrays.compareUnsigned(a, b));

        assertThat(Integer.signum(Token.fromBytes(a, 0).compareTo(Token.fromBytes(b, 0)))).isEqualTo(expected);
    }
}
