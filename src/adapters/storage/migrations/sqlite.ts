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
        status TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX persons_client ON persons(client_id, created_at);
      CREATE INDEX persons_client_name ON persons(client_id, name);
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
];
