-- The schema of the state before versioned migrations, verbatim from state.go,
-- outbox.go, summary.go, oauth.go and trouble.go of commit 8e59fe5.
-- What the last unversioned release added to them at Open (tables, then columns).

CREATE TABLE IF NOT EXISTS outbox_copies (
	outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id),
	filed_at  INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX IF NOT EXISTS outbox_copies_unfiled ON outbox_copies (filed_at);

CREATE TABLE IF NOT EXISTS digests (
	store   TEXT NOT NULL,
	day     TEXT NOT NULL,
	sent_at INTEGER NOT NULL,
	PRIMARY KEY (store, day)
);

CREATE TABLE IF NOT EXISTS syncs (
	mailbox   TEXT PRIMARY KEY,
	synced_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS oauth_tokens (
	account    TEXT PRIMARY KEY,
	token      TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	failed_at  INTEGER NOT NULL DEFAULT 0,
	failure    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL, pad TEXT NOT NULL DEFAULT '');

ALTER TABLE threads ADD COLUMN handled_by TEXT NOT NULL DEFAULT '';
ALTER TABLE threads ADD COLUMN handled_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE threads ADD COLUMN words TEXT NOT NULL DEFAULT '';
ALTER TABLE threads ADD COLUMN flag_why TEXT NOT NULL DEFAULT '';
ALTER TABLE threads ADD COLUMN flag_section TEXT NOT NULL DEFAULT '';
ALTER TABLE threads ADD COLUMN flag_quote TEXT NOT NULL DEFAULT '';
ALTER TABLE threads ADD COLUMN request_words TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN lapse_warned_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN lapsed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN lapsed_ran TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN label_asked_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN label_sent_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN label_chased_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN ran_message_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_at INTEGER NOT NULL DEFAULT 0;
