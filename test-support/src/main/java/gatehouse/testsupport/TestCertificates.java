package gatehouse.testsupport;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Certificates for tests, made by the JDK's {@code keytool} (no test trusts code of the project to
 * make them): self-signed RSA key pairs in PKCS#12 files, their PEM, and HTTP clients that present
 * one.
 */
public final class TestCertificates {

    /** The password of every keystore made here. */
    public static final String PASSWORD = "changeit-test";

    private final Path dir;

    /**
     * A made certificate.
     *
     * @param keystore its PKCS#12 file (alias = name)
     * @param certificatePem the certificate as PEM
     * @param privateKeyPem the private key as PKCS#8 PEM
     * @param fingerprint lowercase hex SHA-256 of the certificate's DER (Tyk's id without an org)
     */
    public record Made(
            Path keystore, String certificatePem, String privateKeyPem, String fingerprint) {}

    public TestCertificates() {
        try {
            this.dir = Files.createTempDirectory("gatehouse-certificates");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes a self-signed certificate for {@code CN=<name>,O=Gatehouse Tests} with the SAN {@code
     * localhost}, {@code 127.0.0.1} and {@code <name>.example.com}.
     *
     * @param validityDays how long it is valid
     * @param startDate keytool's {@code -startdate} ({@code -3d}, {@code -1d+20S}), or null for now
     */
    public synchronized Made make(String name, int validityDays, String startDate) {
        Path store = dir.resolve(name + ".p12");
        if (!Files.exists(store)) {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    keytool,
                                    "-genkeypair",
                                    "-alias",
                                    name,
                                    "-keyalg",
                                    "RSA",
                                    "-keysize",
                                    "2048",
                                    "-dname",
                                    "CN=" + name + ",O=Gatehouse Tests",
                                    "-ext",
                                    "SAN=dns:localhost,ip:127.0.0.1,dns:" + name + ".example.com",
                                    "-validity",
                                    Integer.toString(validityDays),
                                    "-keystore",
                                    store.toString(),
                                    "-storetype",
                                    "PKCS12",
                                    "-storepass",
                                    PASSWORD));
            if (startDate != null) {
                command.addAll(List.of("-startdate", startDate));
            }
            run(command);
        }
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (var in = new FileInputStream(store.toFile())) {
                keys.load(in, PASSWORD.toCharArray());
            }
            X509Certificate certificate = (X509Certificate) keys.getCertificate(name);
            PrivateKey key = (PrivateKey) keys.getKey(name, PASSWORD.toCharArray());
            var encoder = Base64.getMimeEncoder(64, "\n".getBytes());
            return new Made(
                    store,
                    "-----BEGIN CERTIFICATE-----\n"
                            + encoder.encodeToString(certificate.getEncoded())
                            + "\n-----END CERTIFICATE-----\n",
                    "-----BEGIN PRIVATE KEY-----\n"
                            + encoder.encodeToString(key.getEncoded())
                            + "\n-----END PRIVATE KEY-----\n",
                    HexFormat.of()
                            .formatHex(
                                    MessageDigest.getInstance("SHA-256")
                                            .digest(certificate.getEncoded())));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key of a made certificate, to sign with in a test. */
    public static PrivateKey privateKey(Made made) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (var in = new FileInputStream(made.keystore().toFile())) {
                store.load(in, PASSWORD.toCharArray());
            }
            return (PrivateKey) store.getKey(store.aliases().nextElement(), PASSWORD.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An HTTP client that presents {@code client}'s certificate (none when null) and trusts any
     * server: the gateways under test have self-signed certificates.
     */
    public static HttpClient client(Made client) {
        try {
            KeyManagerFactory keys = null;
            if (client != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (var in = new FileInputStream(client.keystore().toFile())) {
                    store.load(in, PASSWORD.toCharArray());
                }
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager[] anyServer = {
                new X509TrustManager() {
                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        return new X509Certificate[0];
                    }
                }
            };
            context.init(keys == null ? null : keys.getKeyManagers(), anyServer, null);
            return HttpClient.newBuilder()
                    .sslContext(context)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + ": " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
