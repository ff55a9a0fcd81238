package gatehouse.admin.certs.persistence;

import gatehouse.admin.documents.VersionedDocument;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A stored certificate. */
@Entity
@Table(name = "certificate")
public class CertificateEntity extends VersionedDocument {}
