package gatehouse.dashboard.access.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** The permission model of DASHBOARD.md §3.2, row by row. */
class AccessRowsTest {

    static Permissions permissions(String spec) {
        Map<String, String> map = new LinkedHashMap<>();
        if (spec != null && !spec.isBlank()) {
            for (String entry : spec.split(";")) {
                String[] kv = entry.split("=", 2);
                map.put(kv[0], kv[1]);
            }
        }
        return Permissions.of(map);
    }

    @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
    @CsvFileSource(
            resources = "/rows/access.csv",
            delimiter = '|',
            numLinesToSkip = 1,
            nullValues = {})
    void access(String spec, String method, String path, boolean allowed) {
        Caller caller = new Caller("u1", "org-a", permissions(spec));
        String denial = Access.denial(caller, method, path);
        if (allowed) {
            assertNull(denial, method + " " + path);
        } else {
            assertEquals("access denied: You do not have permission to access  " + path, denial);
        }
    }

    @ParameterizedTest(name = "{0} grants {1}: {2}")
    @CsvFileSource(
            resources = "/rows/covers.csv",
            delimiter = '|',
            numLinesToSkip = 1,
            nullValues = {})
    void covers(String holder, String wanted, boolean covers) {
        assertEquals(covers, permissions(holder).covers(permissions(wanted)));
    }

    @Test
    void theOldPolicySectionIsWrittenPolicies() {
        assertEquals(Map.of("policies", "read"), permissions("policy=read").asMap());
        assertEquals(Level.READ, permissions("policy=read").level("policies"));
    }

    @Test
    void valuesAreReadInAnyCaseAndUnknownOnesRefused() {
        assertEquals(Level.WRITE, permissions("apis= Write ").level("apis"));
        assertThrows(InvalidPermissionsException.class, () -> permissions("apis=admin"));
        assertThrows(InvalidPermissionsException.class, () -> permissions("IsAdmin=write"));
        assertThrows(InvalidPermissionsException.class, () -> permissions("apis=all"));
    }

    @Test
    void aGroupMemberHasTheGroupsPermissionsAndKeepsItsOwnResetPassword() {
        Permissions member = permissions("apis=write;ResetPassword=admin");
        Permissions group = permissions("keys=read");
        Permissions effective = member.asMemberOf(group);
        assertEquals(Level.DENY, effective.level("apis"));
        assertEquals(Level.READ, effective.level("keys"));
        assertTrue(effective.canResetPasswords());
    }

    @Test
    void orgConfinement() {
        Caller orgUser = new Caller("u1", "org-a", permissions("IsAdmin=admin"));
        Caller superUser = new Caller("u2", null, permissions("IsAdmin=admin"));
        assertTrue(orgUser.reaches("org-a"));
        assertEquals(false, orgUser.reaches("org-b"));
        assertEquals(false, orgUser.reaches(null));
        assertTrue(superUser.reaches("org-b"));
    }
}
