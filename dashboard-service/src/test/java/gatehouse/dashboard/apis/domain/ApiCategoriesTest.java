package gatehouse.dashboard.apis.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiCategoriesTest {

    @Test
    void theTagsOfANameAreItsCategories() {
        assertEquals(List.of("public", "v2"), ApiCategories.of("Orders #public #v2 #public"));
        assertEquals(List.of(), ApiCategories.of("Orders # and C#sharp"));
        assertEquals(List.of(), ApiCategories.of(null));
    }

    @Test
    void groupsListEachCategorysApisByName() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("a1", "Orders #public");
        names.put("a2", "Billing #internal #public");
        names.put("a3", "Plain");
        assertEquals(
                Map.of("internal", List.of("a2"), "public", List.of("a1", "a2")),
                ApiCategories.groups(names));
        assertEquals(
                List.of("internal", "public"), List.copyOf(ApiCategories.groups(names).keySet()));
    }
}
