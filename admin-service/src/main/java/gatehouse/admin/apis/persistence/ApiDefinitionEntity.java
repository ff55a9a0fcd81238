package gatehouse.admin.apis.persistence;

import gatehouse.admin.documents.VersionedDocument;
import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A stored API definition: the document plus the fields we look up by. */
@Entity
@Table(name = "api_definition")
@AttributeOverride(name = "id", column = @Column(name = "api_id"))
public class ApiDefinitionEntity extends VersionedDocument {

    @Column(name = "listen_path")
    public String listenPath;
}
