package dev.mkplat.auth.users;

/** A user as stored: the username as registered (case kept) and the Argon2id PHC hash. */
public record StoredUser(String username, String passwordHash) {
    @Override
    public String toString() {
        return "StoredUser[username=" + username + "]";
    }
}
