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
];
