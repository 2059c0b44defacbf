package io.dynamo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.core.versioning.VersionVector;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ContextTest {

    @Test
    void emptyContextsAreEqualWhateverTheirSpelling() {
        assertThat(Context.of(new byte[0])).isEqualTo(Context.EMPTY);
        assertThat(Context.of(null)).isEqualTo(Context.EMPTY);
        assertThat(Context.fromBase64("")).isEqualTo(Context.EMPTY);
        assertThat(Context.fromBase64("  ")).isEqualTo(Context.EMPTY);
        String codecEmpty = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ContextCodec.encode(VersionVector.empty()));
        assertThat(Context.fromBase64(codecEmpty)).isEqualTo(Context.EMPTY);
        assertThat(Context.EMPTY.toBase64()).isEmpty();
        assertThat(Context.EMPTY.isEmpty()).isTrue();
    }

    @Test
    void base64RoundTripsAndAcceptsPadding() {
        VersionVector vv = VersionVector.of(java.util.Map.of(new ActorId("node-1", 12345L), 3L));
        byte[] bytes = ContextCodec.encode(vv);
        Context c = Context.of(bytes);
        assertThat(c.isEmpty()).isFalse();
        assertThat(c.toBase64()).doesNotContain("=").doesNotContain("+").doesNotContain("/");
        assertThat(Context.fromBase64(c.toBase64())).isEqualTo(c);
        assertThat(Context.fromBase64(Base64.getUrlEncoder().encodeToString(bytes))).isEqualTo(c);
        assertThat(c.toBytes()).isEqualTo(bytes);
        byte[] copy = c.toBytes();
        copy[0] ^= 1;
        assertThat(c.toBytes()).isEqualTo(bytes); // immutable
    }

    @Test
    void garbageIsRejected() {
        assertThatThrownBy(() -> Context.fromBase64("***")).isInstanceOf(InvalidContextException.class);
        assertThatThrownBy(() -> Context.fromBase64("AAAA")).isInstanceOf(InvalidContextException.class);
    }
}
