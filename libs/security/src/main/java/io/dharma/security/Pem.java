package io.dharma.security;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes PEM public keys with the JDK: SubjectPublicKeyInfo ({@code PUBLIC KEY}) for RSA and EC, or the public key of
 * an X.509 {@code CERTIFICATE}.
 */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private Pem() {
    }

    static PublicKey publicKey(String pem) {
        Matcher block = BLOCK.matcher(pem);
        if (!block.find()) {
            throw new SecurityConfigException("Not a PEM block: expected -----BEGIN PUBLIC KEY----- or "
                                                       + "-----BEGIN CERTIFICATE-----");
        }
        String type = block.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2));
        } catch (IllegalArgumentException e) {
            throw new SecurityConfigException("The PEM block " + type + " is not valid Base64", e);
        }
        return switch (type) {
            case "PUBLIC KEY" -> subjectPublicKeyInfo(der);
            case "CERTIFICATE" -> certificate(der);
            default -> throw new SecurityConfigException("Unsupported PEM block " + type + ": use PUBLIC KEY (RSA or EC, "
                                                                  + "SubjectPublicKeyInfo) or CERTIFICATE");
        };
    }

    private static PublicKey subjectPublicKeyInfo(byte[] der) {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (GeneralSecurityException e) {
                // try the next key type
            }
        }
        throw new SecurityConfigException("The PUBLIC KEY is neither an RSA nor an EC key");
    }

    private static PublicKey certificate(byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new SecurityConfigException("The CERTIFICATE cannot be read", e);
        }
    }
}
