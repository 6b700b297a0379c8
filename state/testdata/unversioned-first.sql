-- The schema of the state before versioned migrations, verbatim from state.go,
-- outbox.go, summary.go, oauth.go and trouble.go of commit 8e59fe5.
-- The first release's tables: what the oldest state files have.

CREATE TABLE IF NOT EXISTS messages (
	message_id TEXT PRIMARY KEY,
	store      TEXT NOT NULL,
	thread_id  INTEGER NOT NULL DEFAULT 0,
	direction  TEXT NOT NULL,
	sender     TEXT NOT NULL DEFAULT '',
	at         INTEGER NOT NULL,
	action     TEXT NOT NULL DEFAULT '',
	code       TEXT NOT NULL DEFAULT '',
	flagged    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS threads (
	id                INTEGER PRIMARY KEY,
	store             TEXT NOT NULL,
	customer          TEXT NOT NULL,
	customer_name     TEXT NOT NULL DEFAULT '',
	order_no          TEXT NOT NULL DEFAULT '',
	intent            TEXT NOT NULL DEFAULT '',
	reason            TEXT NOT NULL DEFAULT '',
	language          TEXT NOT NULL DEFAULT '',
	subject           TEXT NOT NULL DEFAULT '',
	pending           TEXT NOT NULL DEFAULT '',
	pending_at        INTEGER NOT NULL DEFAULT 0,
	photos            INTEGER NOT NULL DEFAULT 0,
	used              INTEGER NOT NULL DEFAULT 0,
	unopened          INTEGER NOT NULL DEFAULT 0,
	wants_replacement INTEGER NOT NULL DEFAULT 0,
	flagged_at        INTEGER NOT NULL DEFAULT 0,
	flag_code         TEXT NOT NULL DEFAULT '',
	last_in_at        INTEGER NOT NULL DEFAULT 0,
	last_message_id   TEXT NOT NULL DEFAULT '',
	refs              TEXT NOT NULL DEFAULT '',
	reminded_at       INTEGER NOT NULL DEFAULT 0,
	escalated_at      INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX IF NOT EXISTS threads_customer ON threads (store, customer);

CREATE TABLE IF NOT EXISTS cases (
	store         TEXT NOT NULL,
	order_no      TEXT NOT NULL,
	ran           TEXT NOT NULL DEFAULT '',
	code          TEXT NOT NULL DEFAULT '',
	customer      TEXT NOT NULL DEFAULT '',
	thread_id     INTEGER NOT NULL DEFAULT 0,
	authorized_at INTEGER NOT NULL DEFAULT 0,
	tracking      TEXT NOT NULL DEFAULT '',
	carrier       TEXT NOT NULL DEFAULT '',
	tracking_at   INTEGER NOT NULL DEFAULT 0,
	reminded_at   INTEGER NOT NULL DEFAULT 0,
	escalated_at  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (store, order_no)
);

CREATE UNIQUE INDEX IF NOT EXISTS cases_ran ON cases (ran) WHERE ran != '';

CREATE TABLE IF NOT EXISTS outbox (
	id          INTEGER PRIMARY KEY,
	message_id  TEXT NOT NULL UNIQUE,
	store       TEXT NOT NULL,
	mailbox     TEXT NOT NULL,
	recipient   TEXT NOT NULL,
	kind        TEXT NOT NULL,
	thread_id   INTEGER NOT NULL DEFAULT 0,
	source_id   TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	raw         BLOB NOT NULL,
	status      TEXT NOT NULL DEFAULT 'pending',
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT NOT NULL DEFAULT '',
	sent_at     INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX IF NOT EXISTS outbox_recipient ON outbox (store, recipient, kind, created_at);

CREATE INDEX IF NOT EXISTS outbox_status ON outbox (status);

CREATE TABLE IF NOT EXISTS cursors (
	mailbox     TEXT PRIMARY KEY,
	uidvalidity INTEGER NOT NULL,
	last_uid    INTEGER NOT NULL
);
