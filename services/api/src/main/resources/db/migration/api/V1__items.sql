-- Items belong to the username that auth vouched for; there is no users table here (auth owns
-- users), so owner is plain text and every statement filters on it.
CREATE TABLE items (
    id          uuid        PRIMARY KEY,
    owner       text        NOT NULL,
    name        text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    description text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The list is "this owner's items, newest first, id as the tie-breaker": this index answers it
-- (and LIMIT/OFFSET) without a sort.
CREATE INDEX items_owner_created_at ON items (owner, created_at DESC, id DESC);
