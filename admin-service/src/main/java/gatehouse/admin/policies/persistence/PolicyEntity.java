package gatehouse.admin.policies.persistence;

import gatehouse.admin.documents.VersionedDocument;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A stored policy. */
@Entity
@Table(name = "policy")
public class PolicyEntity extends VersionedDocument {}
