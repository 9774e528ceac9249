package dev.mkplat.auth.users;

import dev.mkplat.service.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Users in Postgres. Usernames are unique regardless of case ({@code users_username_lower_key}), so
 * that nobody can register "Alice" next to "alice" and pass for them; a user logs in with any case
 * and is known by the case they registered with.
 */
public final class UserStore {
    private static final String INSERT = """
            INSERT INTO users (username, password_hash) VALUES (?, ?)
            ON CONFLICT ((lower(username))) DO NOTHING""";
    private static final String SELECT = "SELECT username, password_hash FROM users WHERE lower(username) = lower(?)";
    private static final String UPDATE_HASH =
            "UPDATE users SET password_hash = ? WHERE lower(username) = lower(?) AND password_hash = ?";

    private final Database database;

    public UserStore(Database database) {
        this.database = database;
    }

    /**
     * Creates the user; false when the name is taken. One statement decides, so two concurrent
     * registrations of one name get exactly one 201 and one 409.
     */
    public boolean create(String username, String passwordHash) {
        return database.query("insert_user", connection -> {
            try (PreparedStatement statement = database.prepare(connection, INSERT)) {
                statement.setString(1, username);
                statement.setString(2, passwordHash);
                return statement.executeUpdate() == 1;
            }
        });
    }

    /**
     * Replaces the user's password hash with {@code newHash} if it is still {@code oldHash}, so that
     * a rehash racing another change of the hash never overwrites it.
     *
     * @return whether the hash was replaced
     */
    public boolean replacePasswordHash(String username, String oldHash, String newHash) {
        return database.query("update_user_hash", connection -> {
            try (PreparedStatement statement = database.prepare(connection, UPDATE_HASH)) {
                statement.setString(1, newHash);
                statement.setString(2, username);
                statement.setString(3, oldHash);
                return statement.executeUpdate() == 1;
            }
        });
    }

    /** The user named {@code username} in any case. */
    public Optional<StoredUser> find(String username) {
        return database.query("select_user", connection -> {
            try (PreparedStatement statement = database.prepare(connection, SELECT)) {
                statement.setString(1, username);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new StoredUser(rows.getString(1), rows.getString(2)))
                            : Optional.empty();
                }
            }
        });
    }
}
