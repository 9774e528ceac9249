package dev.mkplat.api.items;

import dev.mkplat.service.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The items table. Every statement is one prepared statement that filters by owner as well as by
 * id, so that another user's item is indistinguishable from one that does not exist. Each has a
 * name, which labels its latency in {@code db_query_duration_seconds}.
 */
public final class ItemStore {
    /** Statement names, the {@code query} label of {@code db_query_duration_seconds}. */
    public static final String INSERT = "items_insert";

    public static final String GET = "items_get";
    public static final String LIST = "items_list";
    public static final String UPDATE = "items_update";
    public static final String DELETE = "items_delete";

    private static final String INSERT_SQL = "INSERT INTO items (id, owner, name, description) VALUES (?, ?, ?, ?) "
            + "RETURNING created_at, updated_at";
    private static final String GET_SQL =
            "SELECT name, description, created_at, updated_at FROM items " + "WHERE id = ? AND owner = ?";
    // limit + 1 rows are fetched: the extra row only tells whether there is a next page.
    private static final String LIST_SQL = "SELECT id, name, description, created_at, updated_at FROM items "
            + "WHERE owner = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
    private static final String UPDATE_SQL = "UPDATE items SET name = ?, description = ?, updated_at = now() "
            + "WHERE id = ? AND owner = ? RETURNING created_at, updated_at";
    private static final String DELETE_SQL = "DELETE FROM items WHERE id = ? AND owner = ?";

    private final Database database;

    public ItemStore(Database database) {
        this.database = database;
    }

    /** Stores a new item of {@code owner} under a fresh random id. */
    public Item create(String owner, ItemDraft draft) {
        UUID id = UUID.randomUUID();
        return database.query(INSERT, connection -> {
            try (PreparedStatement statement = database.prepare(connection, INSERT_SQL)) {
                statement.setObject(1, id);
                statement.setString(2, owner);
                statement.setString(3, draft.name());
                statement.setString(4, draft.description());
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return new Item(id, draft.name(), draft.description(), owner, instant(row, 1), instant(row, 2));
                }
            }
        });
    }

    /** The item {@code id} if it exists and belongs to {@code owner}. */
    public Optional<Item> find(String owner, UUID id) {
        return database.query(GET, connection -> {
            try (PreparedStatement statement = database.prepare(connection, GET_SQL)) {
                statement.setObject(1, id);
                statement.setString(2, owner);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(
                            new Item(id, row.getString(1), row.getString(2), owner, instant(row, 3), instant(row, 4)));
                }
            }
        });
    }

    /** A page of {@code owner}'s items, newest first (ties broken by id, so pages never overlap). */
    public ItemPage list(String owner, PageRequest page) {
        return database.query(LIST, connection -> {
            try (PreparedStatement statement = database.prepare(connection, LIST_SQL)) {
                statement.setString(1, owner);
                statement.setInt(2, page.limit() + 1);
                statement.setLong(3, page.offset());
                List<Item> items = new ArrayList<>(page.limit());
                boolean more = false;
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        if (items.size() == page.limit()) {
                            more = true;
                            break;
                        }
                        items.add(new Item(
                                row.getObject(1, UUID.class),
                                row.getString(2),
                                row.getString(3),
                                owner,
                                instant(row, 4),
                                instant(row, 5)));
                    }
                }
                return new ItemPage(items, page.limit(), page.offset(), more ? page.offset() + page.limit() : null);
            }
        });
    }

    /** Replaces name and description of {@code owner}'s item {@code id}; empty when there is no such item. */
    public Optional<Item> replace(String owner, UUID id, ItemDraft draft) {
        return database.query(UPDATE, connection -> {
            try (PreparedStatement statement = database.prepare(connection, UPDATE_SQL)) {
                statement.setString(1, draft.name());
                statement.setString(2, draft.description());
                statement.setObject(3, id);
                statement.setString(4, owner);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(
                            new Item(id, draft.name(), draft.description(), owner, instant(row, 1), instant(row, 2)));
                }
            }
        });
    }

    /** Deletes {@code owner}'s item {@code id}; false when there was no such item. */
    public boolean delete(String owner, UUID id) {
        return database.query(DELETE, connection -> {
            try (PreparedStatement statement = database.prepare(connection, DELETE_SQL)) {
                statement.setObject(1, id);
                statement.setString(2, owner);
                return statement.executeUpdate() == 1;
            }
        });
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }
}
