package io.orderflow.sink.warehouse.snowflake;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads an unencrypted PKCS#8 RSA private key given inline: PEM ("-----BEGIN PRIVATE KEY-----") or just its base64
 * body. Error messages never contain the key.
 */
public final class PrivateKeys {

    private PrivateKeys() {
    }

    public static PrivateKey parse(String text) {
        if (text.contains("ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("an encrypted key must be given as snowflake.private.key.file with "
                    + "snowflake.private.key.passphrase; inline keys must be unencrypted PKCS#8");
        }
        if (text.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("this is a PKCS#1 key; convert it to PKCS#8 with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.p8'");
        }
        String body = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the private key is neither PEM nor base64");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key is not an unencrypted PKCS#8 RSA key");
        }
    }
}
