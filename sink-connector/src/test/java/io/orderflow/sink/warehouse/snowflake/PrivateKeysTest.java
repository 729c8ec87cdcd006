package io.orderflow.sink.warehouse.snowflake;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrivateKeysTest {

    static String pem(KeyPair pair) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    @Test
    void readsPemAndBareBase64() throws Exception {
        KeyPair pair = rsa();
        assertArrayEquals(pair.getPrivate().getEncoded(), PrivateKeys.parse(pem(pair)).getEncoded());
        String bare = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
        assertArrayEquals(pair.getPrivate().getEncoded(), PrivateKeys.parse(bare).getEncoded());
    }

    @Test
    void refusalsSayWhatToDoAndNeverEchoTheKey() throws Exception {
        String secretLooking = "c2VjcmV0LWtleS1tYXRlcmlhbA==";
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class, () -> PrivateKeys.parse(secretLooking));
        assertFalse(garbage.getMessage().contains(secretLooking));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PrivateKeys.parse(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF\n-----END ENCRYPTED PRIVATE KEY-----"))
                .getMessage().contains("snowflake.private.key.file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PrivateKeys.parse(
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----")).getMessage().contains("pkcs8"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PrivateKeys.parse("not base64 !"))
                .getMessage().contains("neither PEM nor base64"));
    }
}
