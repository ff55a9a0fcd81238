package gatehouse.contracts.audit;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Signs and checks audit checkpoints with Ed25519. The private key comes from configuration
 * (PKCS#8, base64); its public half (X.509 SubjectPublicKeyInfo, base64) is published for
 * verifiers.
 */
public final class AuditSigner {

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private AuditSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /**
     * A signer for a base64 PKCS#8 Ed25519 private key.
     *
     * @throws IllegalArgumentException when the text is not such a key
     */
    public static AuditSigner fromPrivateKey(String base64Pkcs8) {
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            PrivateKey key =
                    factory.generatePrivate(
                            new PKCS8EncodedKeySpec(
                                    Base64.getDecoder().decode(base64Pkcs8.trim())));
            return new AuditSigner(key, publicOf((EdECPrivateKey) key));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(
                    "the audit signing key must be a base64 PKCS#8 Ed25519 private key", e);
        }
    }

    /** A new key pair's private half, base64 PKCS#8 (what {@code ./gatehouse up} generates). */
    public static String generatePrivateKey() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 15+ has Ed25519", e);
        }
    }

    /** The public half, base64 X.509. */
    public String publicKey() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /** The checkpoint with its signature. */
    public AuditCheckpoint sign(AuditCheckpoint unsigned) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(unsigned.signedContent());
            return new AuditCheckpoint(
                    unsigned.owner(),
                    unsigned.chain(),
                    unsigned.seq(),
                    unsigned.hash(),
                    unsigned.time(),
                    Base64.getEncoder().encodeToString(signature.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing a checkpoint failed", e);
        }
    }

    /** True when the checkpoint was signed by the private half of {@code base64PublicKey}. */
    public static boolean verify(AuditCheckpoint checkpoint, String base64PublicKey) {
        try {
            PublicKey key =
                    KeyFactory.getInstance("Ed25519")
                            .generatePublic(
                                    new X509EncodedKeySpec(
                                            Base64.getDecoder().decode(base64PublicKey.trim())));
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update(checkpoint.signedContent());
            return signature.verify(Base64.getDecoder().decode(checkpoint.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    // the JDK derives no public key from a private one; do it from the RFC 8032 seed
    private static PublicKey publicOf(EdECPrivateKey key) throws GeneralSecurityException {
        byte[] seed =
                key.getBytes().orElseThrow(() -> new GeneralSecurityException("no key bytes"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
        return generator.generateKeyPair().getPublic();
    }

    /** Hands the key generator the seed instead of random bytes, once. */
    private static final class FixedSeed extends java.security.SecureRandom {
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
