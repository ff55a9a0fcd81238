package gatehouse.admin.documents;

import gatehouse.contracts.http.TykException;
import gatehouse.contracts.http.TykResponses;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;

/** What the internal list endpoints share: reading their query and writing their answers. */
public final class DocumentListRequests {

    private DocumentListRequests() {}

    /**
     * The query of {@code GET /gatehouse/<kind>/search}.
     *
     * @throws TykException 400 for an unknown sort or a number that is not one
     */
    public static DocumentLists.Query query(
            String orgId, String q, String sort, String offset, String limit, String active) {
        var query =
                new DocumentLists.Query(
                        orgId,
                        q,
                        sort,
                        number(offset, "offset"),
                        number(limit, "limit"),
                        active != null && !active.isEmpty());
        if (!query.knownSort()) {
            throw new TykException(400, "unknown sort " + sort);
        }
        return query;
    }

    /** The page as JSON; a filter, sort or state the kind does not know is a 400. */
    public static Uni<Response> page(Uni<DocumentLists.Page> page) {
        return page.map(found -> TykResponses.ok(DocumentLists.json(found)))
                .onFailure(IllegalArgumentException.class)
                .transform(e -> new TykException(400, e.getMessage()));
    }

    /** The document as JSON, or 404. */
    public static Uni<Response> one(Uni<DocumentLists.Listed> row) {
        return row.map(
                found -> {
                    if (found == null) {
                        throw new TykException(404, "not found");
                    }
                    return TykResponses.ok(DocumentLists.json(found));
                });
    }

    private static int number(String value, String name) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new TykException(400, name + " must be a number of at least 0");
        }
    }
}
