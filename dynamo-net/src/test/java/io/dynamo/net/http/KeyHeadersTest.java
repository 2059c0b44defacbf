package io.dynamo.net.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The request headers of key requests, read without a server: base64url contexts and the Accept of siblings. */
class KeyHeadersTest {

    private static String refusal(String text) {
        try {
            KeyHeaders.base64Url("X-Dynamo-Context", text);
        } catch (HttpError e) {
            assertThat(e.kind()).isEqualTo("invalid_context");
            return e.getMessage();
        }
        throw new AssertionError("'" + text + "' was taken as base64url");
    }

    @Test
    void aBadCharacterIsNamedAsItselfWithItsPosition() {
        assertThat(refusal("AQECbjEBAAk3!O1dKN3bAQ"))
                .startsWith("X-Dynamo-Context is not valid base64url: '!' at position 12 (counting from 0)");
        assertThat(refusal("AQ/C")).contains("'/' at position 2").contains("'-' and '_' stand for '+' and '/'");
        assertThat(refusal("AQ=C")).contains("'=' at position 2").contains("padding belongs only at the end");
        assertThat(refusal("AQ C")).contains("' ' (a space) at position 2");
    }

    @Test
    void aCharacterThatCannotBePrintedIsShownAsItsCodePoint() {
        assertThat(refusal("AQ\u0001C")).contains("U+0001 at position 2");
        assertThat(refusal("AQ\u00e9C")).contains("U+00E9 at position 2");
        assertThat(refusal("AQ\u007fC")).contains("U+007F at position 2");
        assertThat(KeyHeaders.describe('~')).isEqualTo("'~'");
    }

    @Test
    void aLengthNoBase64HasIsSaidToBeCutShort() {
        assertThat(refusal("AQECb")).contains("5 characters cannot encode whole bytes").contains("cut short");
        assertThat(refusal("AQEC=")).contains("cut short");
    }

    @Test
    void paddedAndUnpaddedBase64UrlDecode() {
        byte[] bytes = {(byte) 0xfb, (byte) 0xef, (byte) 0xbe, 2}; // "----" in base64url, then padding
        String unpadded = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertThat(unpadded).contains("----").doesNotContain("=");
        assertThat(Base64.getUrlEncoder().encodeToString(bytes)).endsWith("=");
        assertThat(KeyHeaders.base64Url("h", unpadded)).isEqualTo(bytes);
        assertThat(KeyHeaders.base64Url("h", Base64.getUrlEncoder().encodeToString(bytes))).isEqualTo(bytes);
        assertThat(KeyHeaders.base64Url("h", "")).isEmpty();
    }

    @Test
    void riaksVclockIsRefusedOnAWriteEvenWithOurContext() {
        HttpHeaders headers = new DefaultHttpHeaders().set("X-Riak-Vclock", "a85hYGBgzGDKBVIc")
                .set(KeyHeaders.CONTEXT, "");
        assertThatThrownBy(() -> KeyHeaders.writeContext(headers)).isInstanceOf(HttpError.class)
                .hasMessageContaining("X-Riak-Vclock is Riak's header")
                .hasMessageContaining("X-Dynamo-Context");
        assertThat(KeyHeaders.context(headers).isEmpty()).as("a read ignores it").isTrue();
    }

    private static boolean multipart(String... accept) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (String a : accept) {
            headers.add("Accept", a);
        }
        return KeyHeaders.wantsMultipart(headers);
    }

    @Test
    void multipartOnlyWhenAcceptNamesItAndDoesNotPreferJson() {
        assertThat(multipart()).isFalse();
        assertThat(multipart("*/*")).isFalse();
        assertThat(multipart("application/json")).isFalse();
        assertThat(multipart("multipart/mixed")).isTrue();
        assertThat(multipart("Multipart/Mixed; boundary=x")).isTrue();
        assertThat(multipart("text/plain, multipart/mixed")).isTrue();
        assertThat(multipart("application/json", "multipart/mixed")).isTrue();
        assertThat(multipart("multipart/mixed;q=0.5, application/json")).isFalse();
        assertThat(multipart("multipart/mixed;q=0.9, application/json;q=0.4")).isTrue();
        assertThat(multipart("multipart/mixed;q=0")).isFalse();
        assertThat(multipart("multipart/mixed;q=lots")).isFalse();
    }
}
