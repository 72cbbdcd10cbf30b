import type { Migration } from './migration.js';

// Same tables as the SQLite migrations, in PostgreSQL's types (jsonb documents, timestamptz).
export const postgresMigrations: Migration[] = [
  {
    version: 1,
    name: 'clients, projects, project flows, collections',
    sql: `
      CREATE TABLE clients (
        id text PRIMARY KEY,
        name text NOT NULL,
        status text NOT NULL,
        token_generation integer NOT NULL DEFAULT 1,
        webhook_secret text NOT NULL,
        doc jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        v integer NOT NULL DEFAULT 0
      );
      CREATE TABLE projects (
        id text PRIMARY KEY,
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        name text NOT NULL,
        status text NOT NULL,
        doc jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        v integer NOT NULL DEFAULT 0
      );
      CREATE INDEX projects_client ON projects(client_id, created_at);
      CREATE TABLE project_flows (
        id text PRIMARY KEY,
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        type text NOT NULL,
        status text NOT NULL,
        name text,
        doc jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        v integer NOT NULL DEFAULT 0
      );
      CREATE INDEX project_flows_client ON project_flows(client_id, created_at);
      CREATE INDEX project_flows_project ON project_flows(project_id);
      CREATE TABLE collections (
        id text PRIMARY KEY,
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id text,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        doc jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        v integer NOT NULL DEFAULT 0
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
        id text PRIMARY KEY,
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        name text NOT NULL,
        gender text,
        date_of_birth text,
        nationality text,
        identifier text,
        status text NOT NULL,
        doc jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        v integer NOT NULL DEFAULT 0
      );
      CREATE INDEX persons_client ON persons(client_id, created_at);
      CREATE INDEX persons_client_name ON persons(client_id, name);
      CREATE INDEX persons_client_identifier ON persons(client_id, identifier);
      CREATE TABLE person_collections (
        collection_id text NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
        person_id text NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        client_id text NOT NULL,
        identity_key text,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (collection_id, person_id)
      );
      CREATE UNIQUE INDEX person_collections_identity ON person_collections(collection_id, identity_key);
      CREATE INDEX person_collections_person ON person_collections(person_id);
      CREATE TABLE face_templates (
        id bigserial PRIMARY KEY,
        person_id text NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        client_id text NOT NULL,
        model_id text NOT NULL,
        dimension integer NOT NULL,
        key_id text NOT NULL,
        template bytea NOT NULL,
        thumbnail bytea,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX face_templates_person ON face_templates(person_id);
    `,
  },
  {
    version: 3,
    name: 'liveness sessions, biometric validations, app logins, webhook outbox',
    sql: `
      CREATE TABLE liveness_sessions (
        id text PRIMARY KEY,
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id text NOT NULL,
        flow_id text NOT NULL,
        identifier text NOT NULL,
        status text NOT NULL,
        expires_at timestamptz NOT NULL,
        doc jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        v integer NOT NULL DEFAULT 0
      );
      CREATE INDEX liveness_sessions_client ON liveness_sessions(client_id, created_at);
      CREATE TABLE biometric_validations (
        id text PRIMARY KEY,
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id text NOT NULL,
        flow_id text NOT NULL,
        session_id text NOT NULL UNIQUE,
        type text NOT NULL,
        status text NOT NULL,
        identifier text NOT NULL,
        expires_at timestamptz NOT NULL,
        doc jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        v integer NOT NULL DEFAULT 0
      );
      CREATE INDEX biometric_validations_client ON biometric_validations(client_id, created_at);
      -- the sweeper looks for open validations past their expiry
      CREATE INDEX biometric_validations_open ON biometric_validations(status, expires_at);
      CREATE TABLE app_logins (
        id text PRIMARY KEY,
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id text NOT NULL,
        flow_id text NOT NULL,
        validation_id text NOT NULL,
        person_id text,
        type text NOT NULL,
        status text NOT NULL,
        doc jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        v integer NOT NULL DEFAULT 0
      );
      CREATE INDEX app_logins_client ON app_logins(client_id, created_at);
      CREATE TABLE webhook_outbox (
        id bigserial PRIMARY KEY,
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        delivery_id text NOT NULL UNIQUE,
        url text NOT NULL,
        event_type text NOT NULL,
        body text NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz
      );
      CREATE INDEX webhook_outbox_due ON webhook_outbox(status, next_attempt_at);
    `,
  },
  {
    version: 4,
    name: 'index change log, so that every process keeps its search index current',
    sql: `
      CREATE TABLE index_changes (
        id bigserial PRIMARY KEY,
        op text NOT NULL,
        collection_id text,
        keys text NOT NULL,
        created_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'authenticator apps (TOTP) of persons, their secrets sealed like templates',
    sql: `
      CREATE TABLE authenticators (
        person_id text PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        key_id text NOT NULL,
        secret bytea NOT NULL,
        last_step bigint,
        tries integer NOT NULL DEFAULT 0,
        last_try_ms bigint,
        created_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'email and phone validations (one-time codes, stored as keyed hashes); app logins of an email or phone',
    sql: `
      CREATE TABLE email_validations (
        id text PRIMARY KEY,
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id text NOT NULL,
        flow_id text NOT NULL,
        destination text NOT NULL,
        status text NOT NULL,
        expires_at timestamptz NOT NULL,
        doc jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        v integer NOT NULL DEFAULT 0
      );
      -- the per-destination limits count a destination's recent codes
      CREATE INDEX email_validations_destination ON email_validations(client_id, destination, created_at);
      CREATE TABLE phone_validations (
        id text PRIMARY KEY,
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        project_id text NOT NULL,
        flow_id text NOT NULL,
        destination text NOT NULL,
        status text NOT NULL,
        expires_at timestamptz NOT NULL,
        doc jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        v integer NOT NULL DEFAULT 0
      );
      -- the per-destination limits count a destination's recent codes
      CREATE INDEX phone_validations_destination ON phone_validations(client_id, destination, created_at);
      ALTER TABLE app_logins ALTER COLUMN validation_id DROP NOT NULL;
    `,
  },
  {
    version: 7,
    name: "audit log (append-only); webhook deliveries tied to their validation, with the receiver's last answer",
    sql: `
      -- Entries hold ids, never face data, and outlive what they name: no foreign key but the tenant's.
      CREATE TABLE audit_logs (
        id text PRIMARY KEY,
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        action text NOT NULL,
        actor_type text NOT NULL,
        actor_id text,
        resource_type text NOT NULL,
        resource_id text,
        doc jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        v integer NOT NULL DEFAULT 0
      );
      CREATE INDEX audit_logs_client ON audit_logs(client_id, created_at);
      CREATE INDEX audit_logs_resource ON audit_logs(client_id, resource_type, resource_id);
      ALTER TABLE webhook_outbox ADD COLUMN resource_id text;
      ALTER TABLE webhook_outbox ADD COLUMN last_status_code integer;
      ALTER TABLE webhook_outbox ADD COLUMN last_response text;
      CREATE INDEX webhook_outbox_resource ON webhook_outbox(client_id, resource_id);
    `,
  },
  {
    // (8 is the ops lane's.) A login code finds its person by the email or phone stored on them; the code limits
    // count in one atomic upsert per send instead of counting rows read before the insert.
    version: 9,
    name: "persons' email and phone as filter columns; atomic counters for one-time-code sends",
    sql: `
      ALTER TABLE persons ADD COLUMN email text;
      ALTER TABLE persons ADD COLUMN phone text;
      UPDATE persons SET email = doc->>'email', phone = doc->>'phone';
      CREATE INDEX persons_client_phone ON persons(client_id, phone);
      CREATE TABLE code_counters (
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        name text NOT NULL,
        count integer NOT NULL,
        window_start bigint NOT NULL,
        PRIMARY KEY (client_id, name)
      );
    `,
  },
  {
    version: 10,
    name: "each template's embedding length, the recogniser's doubt about the face (compare-similarity.ts)",
    // Templates enrolled before it stay NULL: the match rule then goes on the probe's length alone.
    sql: `
      ALTER TABLE face_templates ADD COLUMN template_norm double precision;
    `,
  },
  {
    version: 11,
    name: 'console sessions their operators signed out of (console-session-end-table.ts)',
    // Kept until the session would have expired: the retention job deletes rows past expires_at.
    sql: `
      CREATE TABLE console_session_ends (
        client_id text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        sid text NOT NULL,
        ended_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (client_id, sid)
      );
      CREATE INDEX console_session_ends_expiry ON console_session_ends(expires_at);
    `,
  },
];
