import type { Migration } from './migration.js';

// Documents keep their full JSON in `doc`; the columns beside it exist for filters, joins and constraints.
export const sqliteMigrations: Migration[] = [
  {
    version: 1,
    name: 'clients, projects, project flows, collections',
    sql: `
      CREATE TABLE clients (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        token_generation INTEGER NOT NULL DEFAULT 1,
        webhook_secret TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX projects_client ON projects(client_id, created_at);
      CREATE TABLE project_flows (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        status TEXT NOT NULL,
        name TEXT,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX project_flows_client ON project_flows(client_id, created_at);
      CREATE INDEX project_flows_project ON project_flows(project_id);
      CREATE TABLE collections (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id TEXT,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX collections_client ON collections(client_id, created_at);
      CREATE INDEX collections_project ON collections(project_id);
    `,
  },
  {
    version: 2,
    name: 'persons, collection membership, encrypted face templates',
    sql: `
      CREATE TABLE persons (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        gender TEXT,
        date_of_birth TEXT,
        nationality TEXT,
        identifier TEXT,
        status TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX persons_client ON persons(client_id, created_at);
      CREATE INDEX persons_client_name ON persons(client_id, name);
      CREATE INDEX persons_client_identifier ON persons(client_id, identifier);
      -- identity_key (normalised name + date of birth) enforces Verifik's uniqueness within a collection in the
      -- database itself; NULL (no date of birth) is never a duplicate.
      CREATE TABLE person_collections (
        collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
        person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        identity_key TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (collection_id, person_id)
      );
      CREATE UNIQUE INDEX person_collections_identity ON person_collections(collection_id, identity_key);
      CREATE INDEX person_collections_person ON person_collections(person_id);
      CREATE TABLE face_templates (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        model_id TEXT NOT NULL,
        dimension INTEGER NOT NULL,
        key_id TEXT NOT NULL,
        template BLOB NOT NULL,
        thumbnail BLOB,
        created_at TEXT NOT NULL
      );
      CREATE INDEX face_templates_person ON face_templates(person_id);
    `,
  },
  {
    version: 3,
    name: 'liveness sessions, biometric validations, app logins, webhook outbox',
    sql: `
      CREATE TABLE liveness_sessions (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL,
        flow_id TEXT NOT NULL,
        identifier TEXT NOT NULL,
        status TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX liveness_sessions_client ON liveness_sessions(client_id, created_at);
      CREATE TABLE biometric_validations (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL,
        flow_id TEXT NOT NULL,
        session_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        status TEXT NOT NULL,
        identifier TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX biometric_validations_client ON biometric_validations(client_id, created_at);
      -- the sweeper looks for open validations past their expiry
      CREATE INDEX biometric_validations_open ON biometric_validations(status, expires_at);
      CREATE TABLE app_logins (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL,
        flow_id TEXT NOT NULL,
        validation_id TEXT NOT NULL,
        person_id TEXT,
        type TEXT NOT NULL,
        status TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX app_logins_client ON app_logins(client_id, created_at);
      CREATE TABLE webhook_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        delivery_id TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL,
        event_type TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        lease_until TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        delivered_at TEXT
      );
      CREATE INDEX webhook_outbox_due ON webhook_outbox(status, next_attempt_at);
    `,
  },
  {
    version: 4,
    name: 'index change log, so that every process keeps its search index current',
    sql: `
      CREATE TABLE index_changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        op TEXT NOT NULL,
        collection_id TEXT,
        keys TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'authenticator apps (TOTP) of persons, their secrets sealed like templates',
    sql: `
      CREATE TABLE authenticators (
        person_id TEXT PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        key_id TEXT NOT NULL,
        secret BLOB NOT NULL,
        last_step INTEGER,
        tries INTEGER NOT NULL DEFAULT 0,
        last_try_ms INTEGER,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'email and phone validations (one-time codes, stored as keyed hashes); app logins of an email or phone',
    sql: `
      CREATE TABLE email_validations (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL,
        flow_id TEXT NOT NULL,
        destination TEXT NOT NULL,
        status TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 0
      );
      -- the per-destination limits count a destination's recent codes
      CREATE INDEX email_validations_destination ON email_validations(client_id, destination, created_at);
      CREATE TABLE phone_validations (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL,
        flow_id TEXT NOT NULL,
        destination TEXT NOT NULL,
        status TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 0
      );
      -- the per-destination limits count a destination's recent codes
      CREATE INDEX phone_validations_destination ON phone_validations(client_id, destination, created_at);
      CREATE TABLE app_logins_v6 (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL,
        flow_id TEXT NOT NULL,
        validation_id TEXT,
        person_id TEXT,
        type TEXT NOT NULL,
        status TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO app_logins_v6 SELECT id, client_id, project_id, flow_id, validation_id, person_id, type, status, doc,
        created_at, updated_at, v FROM app_logins;
      DROP TABLE app_logins;
      ALTER TABLE app_logins_v6 RENAME TO app_logins;
      CREATE INDEX app_logins_client ON app_logins(client_id, created_at);
    `,
  },
  {
    version: 7,
    name: "audit log (append-only); webhook deliveries tied to their validation, with the receiver's last answer",
    sql: `
      -- Entries hold ids, never face data, and outlive what they name: no foreign key but the tenant's.
      CREATE TABLE audit_logs (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        action TEXT NOT NULL,
        actor_type TEXT NOT NULL,
        actor_id TEXT,
        resource_type TEXT NOT NULL,
        resource_id TEXT,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX audit_logs_client ON audit_logs(client_id, created_at);
      CREATE INDEX audit_logs_resource ON audit_logs(client_id, resource_type, resource_id);
      ALTER TABLE webhook_outbox ADD COLUMN resource_id TEXT;
      ALTER TABLE webhook_outbox ADD COLUMN last_status_code INTEGER;
      ALTER TABLE webhook_outbox ADD COLUMN last_response TEXT;
      CREATE INDEX webhook_outbox_resource ON webhook_outbox(client_id, resource_id);
    `,
  },
  {
    // (8 is the ops lane's.) A login code finds its person by the email or phone stored on them; the code limits
    // count in one atomic upsert per send instead of counting rows read before the insert.
    version: 9,
    name: "persons' email and phone as filter columns; atomic counters for one-time-code sends",
    sql: `
      ALTER TABLE persons ADD COLUMN email TEXT;
      ALTER TABLE persons ADD COLUMN phone TEXT;
      UPDATE persons SET email = json_extract(doc, '$.email'), phone = json_extract(doc, '$.phone');
      CREATE INDEX persons_client_phone ON persons(client_id, phone);
      CREATE TABLE code_counters (
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        count INTEGER NOT NULL,
        window_start INTEGER NOT NULL,
        PRIMARY KEY (client_id, name)
      );
    `,
  },
  {
    version: 10,
    name: "each template's embedding length, the recogniser's doubt about the face (compare-similarity.ts)",
    // Templates enrolled before it stay NULL: the match rule then goes on the probe's length alone.
    sql: `
      ALTER TABLE face_templates ADD COLUMN template_norm REAL;
    `,
  },
  {
    version: 11,
    name: 'console sessions their operators signed out of (console-session-end-table.ts)',
    // Kept until the session would have expired: the retention job deletes rows past expires_at.
    sql: `
      CREATE TABLE console_session_ends (
        client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        sid TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (client_id, sid)
      );
      CREATE INDEX console_session_ends_expiry ON console_session_ends(expires_at);
    `,
  },
];
