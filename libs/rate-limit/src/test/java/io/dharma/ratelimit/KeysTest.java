package io.dharma.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * A bucket key is the truncated SHA-256 of its material, whether computed now or remembered from an earlier request.
 */
class KeysTest {
    @Test
    void aKeyIsTheTruncatedDigestOfItsMaterialEveryTime() throws Exception {
        Random random = new Random(6585);
        for (int i = 0; i < 20_000; i++) {
            // few distinct materials, so most calls are answered from the remembered keys
            String material = "ip=203.0.113." + random.nextInt(i < 10_000 ? 50 : 100_000);
            assertThat(material, Keys.hash(material), is(expected(material)));
        }
    }

    @Test
    void materialsWithTheSameHashKeepTheirOwnKeys() throws Exception {
        // "Aa" and "BB" have the same String.hashCode, so both materials compete for one remembered slot
        String one = "user=Aa";
        String other = "user=BB";
        assertThat(one.hashCode(), is(other.hashCode()));
        for (int i = 0; i < 3; i++) {
            assertThat(Keys.hash(one), is(expected(one)));
            assertThat(Keys.hash(other), is(expected(other)));
        }
        assertThat(Keys.hash(one), is(not(Keys.hash(other))));
    }

    private static String expected(String material) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    }
}
