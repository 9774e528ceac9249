-- Users of the platform. The username keeps the case it was registered with; uniqueness ignores
-- case (see the index), so "Alice" cannot be registered next to "alice".
CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT        NOT NULL CHECK (username ~ '^[A-Za-z0-9_.-]{3,64}$'),
    -- Argon2id in the PHC string format: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    password_hash TEXT        NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Both the uniqueness rule and the lookup of a login (WHERE lower(username) = lower(?)).
CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
