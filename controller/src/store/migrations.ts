/**
 * Versioned schema. Append a migration, never edit one that has shipped: `user_version` records how
 * far a database has come.
 */
export const MIGRATIONS: readonly string[] = [
  `
  -- Draft content: what editors change. One JSON document per object, validated by the domain schemas.
  CREATE TABLE gates     (id TEXT PRIMARY KEY, doc TEXT NOT NULL, position INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE items     (id TEXT PRIMARY KEY, doc TEXT NOT NULL, position INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE playlists (id TEXT PRIMARY KEY, doc TEXT NOT NULL, position INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE schedules (id TEXT PRIMARY KEY, doc TEXT NOT NULL, position INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE web_hosts (host TEXT PRIMARY KEY);
  -- Screens are live inventory: a change reaches the screen at once, without a release.
  CREATE TABLE screens   (id TEXT PRIMARY KEY, doc TEXT NOT NULL, position INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE media (
    sha256 TEXT PRIMARY KEY, bytes INTEGER NOT NULL, mime TEXT NOT NULL, name TEXT, created_at INTEGER NOT NULL
  );
  CREATE TABLE alerts (
    id TEXT PRIMARY KEY, doc TEXT NOT NULL, created_at INTEGER NOT NULL, created_by TEXT,
    cancelled_at INTEGER, cancelled_by TEXT
  );
  CREATE TABLE releases (
    id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, created_by TEXT NOT NULL, note TEXT NOT NULL,
    snapshot TEXT NOT NULL, rollback_of INTEGER
  );
  -- The last signed manifest of each screen: republished on start; versions never go back.
  CREATE TABLE screen_manifests (
    screen_id TEXT PRIMARY KEY, version INTEGER NOT NULL, body_hash TEXT NOT NULL, release_id INTEGER NOT NULL,
    envelope TEXT NOT NULL, published_at INTEGER NOT NULL
  );
  CREATE TABLE gate_alerts (gate_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, body_hash TEXT NOT NULL, envelope TEXT);
  CREATE TABLE screen_credentials (
    screen_id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL
  );
  CREATE TABLE users (
    id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE COLLATE NOCASE, password_hash TEXT NOT NULL,
    role TEXT NOT NULL, display_name TEXT, created_at INTEGER NOT NULL, disabled INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL
  );
  CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, last_used_at INTEGER, revoked_at INTEGER
  );
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    object_kind TEXT NOT NULL, object_id TEXT, before TEXT, after TEXT
  );
  CREATE INDEX audit_log_at ON audit_log(at);
  CREATE INDEX audit_log_object ON audit_log(object_kind, object_id);
  CREATE TABLE plays (
    id TEXT PRIMARY KEY, screen_id TEXT NOT NULL, item TEXT NOT NULL, playlist TEXT, started_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL, received_at INTEGER NOT NULL
  );
  CREATE INDEX plays_started ON plays(started_at);
  CREATE TABLE screen_state (
    screen_id TEXT PRIMARY KEY, online INTEGER NOT NULL, since INTEGER NOT NULL, last_seen_at INTEGER,
    heartbeat TEXT, app_version TEXT, applied_version INTEGER, errors TEXT, screenshot_at INTEGER
  );
  CREATE TABLE screen_state_history (
    id INTEGER PRIMARY KEY, screen_id TEXT NOT NULL, at INTEGER NOT NULL, online INTEGER NOT NULL
  );
  CREATE INDEX screen_state_history_screen ON screen_state_history(screen_id, at);
  CREATE TABLE alert_acks (
    alert_id TEXT NOT NULL, screen_id TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (alert_id, screen_id)
  );
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // A manifest's version is saved before it is sent and its signed text after, in a table of its own
  // (updating a row rewrites all of it, and the text is 10 KB). The envelope's version lags the
  // manifest's only if the controller stopped in between.
  `
  CREATE TABLE screen_envelopes (screen_id TEXT PRIMARY KEY, version INTEGER NOT NULL, envelope TEXT NOT NULL);
  INSERT INTO screen_envelopes (screen_id, version, envelope) SELECT screen_id, version, envelope FROM screen_manifests;
  ALTER TABLE screen_manifests DROP COLUMN envelope;
  `,
  // Retained MQTT messages the controller must clear (a deleted screen's manifest and status), written
  // in the transaction that deletes the screen and removed once the broker took the empty message.
  // Screens deleted before this kept their logins and signed manifests: both go now, and the retained
  // manifests are queued for clearing (the topic spelled as topics.manifest spells it).
  `
  CREATE TABLE retained_clears (topic TEXT PRIMARY KEY, since INTEGER NOT NULL);
  DELETE FROM screen_credentials WHERE screen_id NOT IN (SELECT id FROM screens);
  DELETE FROM screen_state WHERE screen_id NOT IN (SELECT id FROM screens);
  INSERT INTO retained_clears (topic, since)
    SELECT 'gatecast/v1/screens/' || screen_id || '/manifest', 0 FROM screen_manifests
    WHERE screen_id NOT IN (SELECT id FROM screens);
  DELETE FROM screen_envelopes WHERE screen_id NOT IN (SELECT id FROM screens);
  UPDATE screen_manifests SET body_hash = '' WHERE screen_id NOT IN (SELECT id FROM screens);
  `,
  // What each screen was sent, version by version, to check proof-of-play against: the items a version
  // contained (lists shared by many screens stored once) and when it was issued. Kept for at least the
  // manifest TTL (PublishedStore.pruneHistory). Screens' current manifests are carried over.
  `
  CREATE TABLE manifest_item_sets (id INTEGER PRIMARY KEY, items TEXT NOT NULL UNIQUE);
  CREATE TABLE manifest_history (
    screen_id TEXT NOT NULL, version INTEGER NOT NULL, release_id INTEGER NOT NULL,
    item_set INTEGER NOT NULL REFERENCES manifest_item_sets(id), issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL, PRIMARY KEY (screen_id, version)
  ) WITHOUT ROWID;
  CREATE INDEX manifest_history_expires ON manifest_history(expires_at);
  CREATE TEMP TABLE carried AS
    SELECT e.screen_id, e.version, m.release_id,
      (SELECT json_group_array(id) FROM (
        SELECT json_extract(i.value, '$.id') AS id FROM json_each(e.envelope, '$.payload.items') i ORDER BY id
      )) AS items,
      CAST(ROUND((julianday(json_extract(e.envelope, '$.payload.issuedAt')) - 2440587.5) * 86400000) AS INTEGER) AS issued_at,
      CAST(ROUND((julianday(json_extract(e.envelope, '$.payload.expiresAt')) - 2440587.5) * 86400000) AS INTEGER) AS expires_at
    FROM screen_envelopes e JOIN screen_manifests m ON m.screen_id = e.screen_id
    WHERE json_valid(e.envelope) AND json_extract(e.envelope, '$.payload.issuedAt') IS NOT NULL;
  INSERT OR IGNORE INTO manifest_item_sets (items) SELECT items FROM carried;
  INSERT OR IGNORE INTO manifest_history (screen_id, version, release_id, item_set, issued_at, expires_at)
    SELECT c.screen_id, c.version, c.release_id, s.id, c.issued_at, c.expires_at
    FROM carried c JOIN manifest_item_sets s ON s.items = c.items;
  DROP TABLE carried;
  -- the screen's clock minus the controller's (its last status or heartbeat), to check plays' durations
  ALTER TABLE screen_state ADD COLUMN clock_skew_ms INTEGER;
  -- what the kiosk said it understands (its status' features), e.g. batch-signed manifests
  ALTER TABLE screen_state ADD COLUMN features TEXT;
  `,
  // Incidents (issue 16): one open incident per rule and subject, its history, the notifications still
  // to send, the channels kept in the store (secrets apart, never sent back), the controller's estimate
  // of each screen's clock, and a daily roll-up of the hours each screen should have been showing and
  // was (for uptime and the yearly report).
  `
  CREATE TABLE incidents (
    id INTEGER PRIMARY KEY, rule TEXT NOT NULL, subject TEXT NOT NULL, gate TEXT,
    opened_at INTEGER NOT NULL, since INTEGER NOT NULL, clear_since INTEGER, reminded_at INTEGER,
    resolved_at INTEGER, summary TEXT NOT NULL, acked_at INTEGER, acked_by TEXT
  );
  CREATE UNIQUE INDEX incidents_open ON incidents(rule, subject) WHERE resolved_at IS NULL;
  CREATE INDEX incidents_opened ON incidents(opened_at);
  CREATE TABLE incident_events (
    id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    at INTEGER NOT NULL, kind TEXT NOT NULL, channel TEXT, actor TEXT, detail TEXT
  );
  CREATE INDEX incident_events_incident ON incident_events(incident_id, id);
  CREATE TABLE notify_outbox (
    id INTEGER PRIMARY KEY, incident_id INTEGER REFERENCES incidents(id) ON DELETE CASCADE,
    event TEXT NOT NULL, channel TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL, created_at INTEGER NOT NULL, last_error TEXT
  );
  CREATE TABLE notify_channels (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, enabled INTEGER NOT NULL,
    config TEXT NOT NULL, secret TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
  );
  CREATE TABLE screen_uptime_daily (
    screen_id TEXT NOT NULL, day TEXT NOT NULL, gate TEXT NOT NULL, should_on_ms INTEGER NOT NULL,
    online_on_ms INTEGER NOT NULL, PRIMARY KEY (screen_id, day)
  );
  ALTER TABLE screen_state ADD COLUMN clock_offset_ms INTEGER;
  `,
  // API tokens (issue 11): each expires (existing ones 90 days after creation, at least 30 days from
  // now); a password reset revokes them.
  `
  ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
  UPDATE api_tokens SET expires_at = MAX(created_at + 90 * 86400000, CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 30 * 86400000);
  `,
  // CAP 1.2 (issue 17): the messages taken (an Update or Cancel names earlier ones by sender and
  // identifier; kept 400 days), the admin's table from CAP areas to gates, and API tokens bound to an
  // agency and its gates (JSON; NULL: an ordinary token).
  `
  CREATE TABLE cap_messages (
    sender TEXT NOT NULL, identifier TEXT NOT NULL, sent TEXT NOT NULL, msg_type TEXT NOT NULL,
    alert_id TEXT NOT NULL, received_at INTEGER NOT NULL, received_by TEXT NOT NULL,
    PRIMARY KEY (sender, identifier)
  );
  CREATE INDEX cap_messages_received ON cap_messages(received_at);
  CREATE TABLE cap_area_rules (position INTEGER PRIMARY KEY, doc TEXT NOT NULL);
  ALTER TABLE api_tokens ADD COLUMN binding TEXT;
  `,
  // Proof-of-play kept for years (issue 19): raw plays in a compact form (integer keys, the release the
  // play happened under), the screen's own play id only while exactly-once needs it (play_ids, pruned),
  // and daily aggregates per gate-local day × gate × screen × item × release × language, rolled up from
  // play_log up to the watermark in meta `plays_rolled_up_to`. Plays stored before this get the release
  // that was newest when they started. Targets the office sets per period and gate.
  `
  CREATE TABLE report_names (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, UNIQUE (kind, name));
  CREATE TABLE play_log (
    id INTEGER PRIMARY KEY, gate INTEGER NOT NULL, screen INTEGER NOT NULL, item INTEGER NOT NULL,
    release_id INTEGER NOT NULL, started_at INTEGER NOT NULL, duration_ms INTEGER NOT NULL
  );
  CREATE INDEX play_log_started ON play_log(started_at);
  CREATE TABLE play_ids (
    screen INTEGER NOT NULL, play_id TEXT NOT NULL, received_at INTEGER NOT NULL, PRIMARY KEY (screen, play_id)
  ) WITHOUT ROWID;
  CREATE INDEX play_ids_received ON play_ids(received_at);
  CREATE TABLE plays_daily (
    day INTEGER NOT NULL, gate INTEGER NOT NULL, screen INTEGER NOT NULL, item INTEGER NOT NULL,
    release_id INTEGER NOT NULL, lang TEXT NOT NULL, plays INTEGER NOT NULL, ms INTEGER NOT NULL,
    PRIMARY KEY (day, gate, screen, item, release_id, lang)
  ) WITHOUT ROWID;
  -- the same by month (month = year * 12 + month - 1): a yearly report reads 12 rows where days are 365
  CREATE TABLE plays_monthly (
    month INTEGER NOT NULL, gate INTEGER NOT NULL, screen INTEGER NOT NULL, item INTEGER NOT NULL,
    release_id INTEGER NOT NULL, lang TEXT NOT NULL, plays INTEGER NOT NULL, ms INTEGER NOT NULL,
    PRIMARY KEY (month, gate, screen, item, release_id, lang)
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO report_names (kind, name) SELECT DISTINCT 'screen', screen_id FROM plays;
  INSERT OR IGNORE INTO report_names (kind, name) SELECT DISTINCT 'item', item FROM plays;
  INSERT OR IGNORE INTO report_names (kind, name)
    SELECT DISTINCT 'gate', COALESCE(json_extract(s.doc, '$.gate'), '?') FROM plays p LEFT JOIN screens s ON s.id = p.screen_id;
  INSERT INTO play_log (gate, screen, item, release_id, started_at, duration_ms)
    SELECT g.id, sn.id, i.id,
      COALESCE((SELECT MAX(r.id) FROM releases r WHERE r.created_at <= p.started_at), (SELECT MIN(id) FROM releases), 0),
      p.started_at, p.duration_ms
    FROM plays p
    LEFT JOIN screens s ON s.id = p.screen_id
    JOIN report_names sn ON sn.kind = 'screen' AND sn.name = p.screen_id
    JOIN report_names i ON i.kind = 'item' AND i.name = p.item
    JOIN report_names g ON g.kind = 'gate' AND g.name = COALESCE(json_extract(s.doc, '$.gate'), '?')
    ORDER BY p.started_at;
  INSERT OR IGNORE INTO play_ids (screen, play_id, received_at)
    SELECT sn.id, p.id, p.received_at FROM plays p JOIN report_names sn ON sn.kind = 'screen' AND sn.name = p.screen_id;
  DROP TABLE plays;
  CREATE TABLE report_targets (
    id INTEGER PRIMARY KEY, gate TEXT NOT NULL, period_from TEXT NOT NULL, period_to TEXT NOT NULL,
    doc TEXT NOT NULL, created_at INTEGER NOT NULL, created_by TEXT NOT NULL
  );
  `,
  // The review model (DESIGN.md, "Review"): one row per draft object that went through it (no row:
  // approved, as everything was before), and a contributor's scope on its account.
  `
  CREATE TABLE review (
    kind TEXT NOT NULL, id TEXT NOT NULL, state TEXT NOT NULL,
    updated_by TEXT, updated_at INTEGER, agency TEXT,
    submitted_by TEXT, submitted_at INTEGER, reviewed_by TEXT, reviewed_at INTEGER, comment TEXT,
    released_in INTEGER, PRIMARY KEY (kind, id)
  );
  ALTER TABLE users ADD COLUMN scope TEXT;
  `,
];
