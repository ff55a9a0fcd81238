package gatehouse.admin.certs.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.CertificatePem;
import gatehouse.contracts.tyk.TykJson;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The stored document of a certificate and the views {@code /tyk/certs} answers with (Tyk's {@code
 * CertificateMeta} and {@code CertificateBasics}). The private key is stored only sealed and never
 * shown.
 */
public final class CertificateDocuments {

    private CertificateDocuments() {}

    /**
     * The document to store and publish.
     *
     * @param sealedPrivateKey the private key PEM sealed, or null
     */
    public static ObjectNode document(
            String id, String orgId, CertificatePem pem, String sealedPrivateKey) {
        ObjectNode document = TykJson.MAPPER.createObjectNode();
        document.put("id", id);
        document.put("org_id", orgId == null ? "" : orgId);
        document.put("chain", pem.chainPem());
        if (sealedPrivateKey != null) {
            document.put("private_key", sealedPrivateKey);
        }
        return document;
    }

    /** The stored chain read back (an expired certificate is still shown). */
    public static CertificatePem chain(ObjectNode document) {
        try {
            return CertificatePem.read(document.path("chain").asText(""), new Date(0));
        } catch (CertificatePem.Refused e) {
            throw new IllegalStateException(
                    "a stored certificate does not read: " + e.getMessage());
        }
    }

    /** Tyk's {@code CertificateMeta}. */
    public static ObjectNode meta(ObjectNode document) {
        CertificatePem pem = chain(document);
        ObjectNode meta = TykJson.MAPPER.createObjectNode();
        meta.put("id", document.path("id").asText());
        meta.put("fingerprint", pem.fingerprint());
        meta.put("has_private", document.hasNonNull("private_key"));
        X509Certificate leaf = pem.leaf();
        if (leaf != null) {
            meta.set("issuer", name(leaf.getIssuerX500Principal()));
            meta.set("subject", name(leaf.getSubjectX500Principal()));
            meta.put("not_before", leaf.getNotBefore().toInstant().toString());
            meta.put("not_after", leaf.getNotAfter().toInstant().toString());
            List<String> dns = dnsNames(leaf);
            if (!dns.isEmpty()) {
                ArrayNode names = meta.putArray("dns_names");
                dns.forEach(names::add);
            }
        }
        meta.put("is_ca", pem.isCa());
        return meta;
    }

    /** Tyk's {@code CertificateBasics} ({@code mode=detailed} listings). */
    public static ObjectNode basics(ObjectNode document) {
        CertificatePem pem = chain(document);
        X509Certificate leaf = pem.leaf();
        ObjectNode basics = TykJson.MAPPER.createObjectNode();
        basics.put("id", document.path("id").asText());
        basics.put("issuer_cn", leaf == null ? "" : commonName(leaf.getIssuerX500Principal()));
        basics.put("subject_cn", leaf == null ? "" : commonName(leaf.getSubjectX500Principal()));
        List<String> dns = leaf == null ? List.of() : dnsNames(leaf);
        if (dns.isEmpty()) {
            basics.putNull("dns_names");
        } else {
            ArrayNode names = basics.putArray("dns_names");
            dns.forEach(names::add);
        }
        basics.put("has_private", document.hasNonNull("private_key"));
        Instant zero = Instant.parse("0001-01-01T00:00:00Z");
        basics.put(
                "not_before", (leaf == null ? zero : leaf.getNotBefore().toInstant()).toString());
        basics.put("not_after", (leaf == null ? zero : leaf.getNotAfter().toInstant()).toString());
        basics.put("is_ca", pem.isCa());
        return basics;
    }

    private static final Map<String, String> FIELDS = fields();

    private static Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("C", "Country");
        fields.put("O", "Organization");
        fields.put("OU", "OrganizationalUnit");
        fields.put("L", "Locality");
        fields.put("ST", "Province");
        fields.put("STREET", "StreetAddress");
        fields.put("2.5.4.17", "PostalCode");
        return fields;
    }

    /** A distinguished name as Go's {@code pkix.Name} encodes it. */
    private static ObjectNode name(X500Principal principal) {
        ObjectNode name = TykJson.MAPPER.createObjectNode();
        List<Rdn> rdns = rdns(principal);
        for (var field : FIELDS.entrySet()) {
            List<String> values = new ArrayList<>();
            for (Rdn rdn : rdns) {
                if (rdn.getType().equalsIgnoreCase(field.getKey())) {
                    values.add(String.valueOf(rdn.getValue()));
                }
            }
            if (values.isEmpty()) {
                name.putNull(field.getValue());
            } else {
                ArrayNode array = name.putArray(field.getValue());
                values.forEach(array::add);
            }
        }
        name.put("SerialNumber", value(rdns, "2.5.4.5"));
        name.put("CommonName", value(rdns, "CN"));
        name.putNull("Names");
        name.putNull("ExtraNames");
        return name;
    }

    private static String commonName(X500Principal principal) {
        return value(rdns(principal), "CN");
    }

    private static String value(List<Rdn> rdns, String type) {
        for (Rdn rdn : rdns) {
            if (rdn.getType().equalsIgnoreCase(type)) {
                return String.valueOf(rdn.getValue());
            }
        }
        return "";
    }

    private static List<Rdn> rdns(X500Principal principal) {
        try {
            List<Rdn> rdns = new ArrayList<>(new LdapName(principal.getName()).getRdns());
            java.util.Collections.reverse(rdns); // LdapName lists the last first
            return rdns;
        } catch (InvalidNameException e) {
            return List.of();
        }
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (Integer.valueOf(2).equals(alternative.get(0))) {
                        names.add(String.valueOf(alternative.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no names
        }
        return names;
    }
}
