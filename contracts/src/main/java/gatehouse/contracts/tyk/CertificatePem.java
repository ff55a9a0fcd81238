package gatehouse.contracts.tyk;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code POST /tyk/certs} accepts, read as Tyk's certificate manager reads it: PEM blocks of a
 * certificate chain, optionally one private key (which must match the first certificate), or one
 * public key alone. The id is the lowercase hex SHA-256 of the first certificate's DER, or of the
 * public key's (the org id comes before it).
 *
 * @param fingerprint the id without the org
 * @param chainPem the certificates (or the public key) as PEM
 * @param privateKeyPem the private key as PEM, or null
 * @param certificates the chain, first the leaf; empty for a public key
 * @param publicKey the leaf's key, or the public key given
 */
public record CertificatePem(
        String fingerprint,
        String chainPem,
        String privateKeyPem,
        List<X509Certificate> certificates,
        PublicKey publicKey) {

    private static final Pattern BLOCK =
            Pattern.compile(
                    "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    /** A body Tyk would refuse, with Tyk's text. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** True when the leaf is a certificate authority's. */
    public boolean isCa() {
        return !certificates.isEmpty() && certificates.get(0).getBasicConstraints() >= 0;
    }

    /** The leaf, or null for a public key. */
    public X509Certificate leaf() {
        return certificates.isEmpty() ? null : certificates.get(0);
    }

    /**
     * Reads a PEM body.
     *
     * @param now certificates that ended before this are refused
     * @throws Refused with Tyk's text
     */
    public static CertificatePem read(String pem, Date now) throws Refused {
        List<X509Certificate> chain = new ArrayList<>();
        List<String> certificateBlocks = new ArrayList<>();
        String privateKeyPem = null;
        byte[] privateKeyDer = null;
        String keyType = null;
        String publicKeyPem = null;
        byte[] publicKeyDer = null;
        Matcher block = BLOCK.matcher(pem == null ? "" : pem);
        while (block.find()) {
            String type = block.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(block.group(2));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (type.endsWith("PRIVATE KEY")) {
                if (privateKeyDer != null) {
                    throw new Refused("Found multiple private keys");
                }
                privateKeyDer = der;
                privateKeyPem = block.group();
                keyType = type;
            } else if (type.equals("CERTIFICATE")) {
                X509Certificate certificate = certificate(der);
                if (certificate.getNotAfter().before(now)) {
                    throw new Refused("certificate is expired");
                }
                chain.add(certificate);
                certificateBlocks.add(block.group());
            } else if (type.equals("PUBLIC KEY")) {
                publicKeyPem = block.group();
                publicKeyDer = der;
            }
        }
        if (chain.isEmpty()) {
            if (publicKeyDer == null) {
                throw new Refused("Failed to decode certificate. It should be PEM encoded.");
            }
            PublicKey key = publicKey(publicKeyDer);
            if (key == null) {
                throw new Refused("Failed to decode certificate. It should be PEM encoded.");
            }
            return new CertificatePem(sha256(publicKeyDer), publicKeyPem, null, List.of(), key);
        }
        if (publicKeyDer != null) {
            throw new Refused("Public keys can't be combined with certificates");
        }
        X509Certificate leaf = chain.get(0);
        if (privateKeyDer != null) {
            if (!"PRIVATE KEY".equals(keyType)) {
                throw new Refused("tls: failed to parse private key");
            }
            PrivateKey key = privateKey(privateKeyDer);
            if (key == null) {
                throw new Refused("tls: failed to parse private key");
            }
            if (!matches(key, leaf.getPublicKey())) {
                throw new Refused("tls: private key does not match public key");
            }
        }
        return new CertificatePem(
                sha256(der(leaf)),
                String.join("\n", certificateBlocks),
                privateKeyPem,
                List.copyOf(chain),
                leaf.getPublicKey());
    }

    /** The lowercase hex SHA-256 of some bytes (Tyk's {@code HexSHA256}). */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    /** A certificate's DER. */
    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static X509Certificate certificate(byte[] der) throws Refused {
        try {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new Refused("x509: malformed certificate");
        }
    }

    private static PublicKey publicKey(byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm)
                        .generatePublic(new java.security.spec.X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // the next algorithm
            }
        }
        return null;
    }

    private static PrivateKey privateKey(byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm)
                        .generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // the next algorithm
            }
        }
        return null;
    }

    /** True when the private key signs what the public key verifies. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm =
                switch (key.getAlgorithm()) {
                    case "RSA" -> "SHA256withRSA";
                    case "EC" -> "SHA256withECDSA";
                    default -> key.getAlgorithm();
                };
        byte[] probe = "gatehouse certificate key check".getBytes(StandardCharsets.UTF_8);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
