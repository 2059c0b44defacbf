package io.dynamo.ycsb.cql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.ycsb.cql.CqlStatements.Key;
import io.dynamo.ycsb.cql.CqlStatements.Operation;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CqlStatementsTest {

    private static final List<String> TWO = List.of("field0", "field7");

    @Test
    void read() {
        assertThat(CqlStatements.read("usertable", null)).isEqualTo("SELECT * FROM usertable WHERE y_id = ?");
        assertThat(CqlStatements.read("usertable", List.of("field3")))
                .isEqualTo("SELECT field3 FROM usertable WHERE y_id = ?");
        assertThat(CqlStatements.read("usertable", TWO))
                .isEqualTo("SELECT field0, field7 FROM usertable WHERE y_id = ?");
        // No field: only whether the row is there.
        assertThat(CqlStatements.read("usertable", List.of())).isEqualTo("SELECT y_id FROM usertable WHERE y_id = ?");
    }

    @Test
    void scan() {
        assertThat(CqlStatements.scan("usertable", null))
                .isEqualTo("SELECT * FROM usertable WHERE token(y_id) >= token(?) LIMIT ?");
        assertThat(CqlStatements.scan("usertable", TWO))
                .isEqualTo("SELECT field0, field7 FROM usertable WHERE token(y_id) >= token(?) LIMIT ?");
    }

    @Test
    void insert() {
        assertThat(CqlStatements.insert("usertable", TWO))
                .isEqualTo("INSERT INTO usertable (y_id, field0, field7) VALUES (?, ?, ?)");
        List<String> ten = CqlStatements.fields(List.of("field9", "field8", "field7", "field6", "field5", "field4",
                "field3", "field2", "field1", "field0"));
        assertThat(CqlStatements.insert("usertable", ten)).isEqualTo("INSERT INTO usertable (y_id, field0, field1, "
                + "field2, field3, field4, field5, field6, field7, field8, field9) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        assertThat(CqlStatements.insert("usertable", List.of())).isEqualTo("INSERT INTO usertable (y_id) VALUES (?)");
    }

    @Test
    void update() {
        assertThat(CqlStatements.update("usertable", List.of("field4")))
                .isEqualTo("UPDATE usertable SET field4 = ? WHERE y_id = ?");
        assertThat(CqlStatements.update("usertable", TWO))
                .isEqualTo("UPDATE usertable SET field0 = ?, field7 = ? WHERE y_id = ?");
        assertThatThrownBy(() -> CqlStatements.update("usertable", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delete() {
        assertThat(CqlStatements.delete("usertable")).isEqualTo("DELETE FROM usertable WHERE y_id = ?");
    }

    @Test
    void namesAreQuotedOnlyWhenTheyMustBe() {
        assertThat(CqlStatements.identifier("usertable")).isEqualTo("usertable");
        assertThat(CqlStatements.identifier("field_10")).isEqualTo("field_10");
        assertThat(CqlStatements.identifier("UserTable")).isEqualTo("\"UserTable\"");
        assertThat(CqlStatements.identifier("my field")).isEqualTo("\"my field\"");
        assertThat(CqlStatements.identifier("say\"what")).isEqualTo("\"say\"\"what\"");
        assertThat(CqlStatements.identifier("select")).isEqualTo("\"select\""); // a reserved word
        assertThat(CqlStatements.read("Records", List.of("Field0")))
                .isEqualTo("SELECT \"Field0\" FROM \"Records\" WHERE y_id = ?");
    }

    @Test
    void fieldSetsAreSorted() {
        Set<String> backwards = new LinkedHashSet<>(List.of("field7", "field0", "field10"));
        assertThat(CqlStatements.fields(backwards)).containsExactly("field0", "field10", "field7");
        assertThat(CqlStatements.fields(null)).isNull();
        assertThat(CqlStatements.fields(Set.of())).isEmpty();
    }

    @Test
    void oneKeyPerOperationTableAndFieldSet() {
        Key a = new Key(Operation.READ, "usertable", CqlStatements.fields(Set.of("field1", "field2")));
        Key b = new Key(Operation.READ, "usertable", CqlStatements.fields(new LinkedHashSet<>(List.of("field2",
                "field1"))));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Key(Operation.SCAN, "usertable", a.fields()));
        assertThat(a).isNotEqualTo(new Key(Operation.READ, "other", a.fields()));
        assertThat(a).isNotEqualTo(new Key(Operation.READ, "usertable", null));
        assertThat(new Key(Operation.READ, "usertable", null)).isEqualTo(new Key(Operation.READ, "usertable", null));
    }

    @Test
    void keysGiveTheirStatements() {
        assertThat(new Key(Operation.READ, "t", null).cql()).isEqualTo(CqlStatements.read("t", null));
        assertThat(new Key(Operation.READ, "t", TWO).cql()).isEqualTo(CqlStatements.read("t", TWO));
        assertThat(new Key(Operation.SCAN, "t", TWO).cql()).isEqualTo(CqlStatements.scan("t", TWO));
        assertThat(new Key(Operation.INSERT, "t", TWO).cql()).isEqualTo(CqlStatements.insert("t", TWO));
        assertThat(new Key(Operation.UPDATE, "t", TWO).cql()).isEqualTo(CqlStatements.update("t", TWO));
        assertThat(new Key(Operation.DELETE, "t", null).cql()).isEqualTo("DELETE FROM t WHERE y_id = ?");
    }
}
