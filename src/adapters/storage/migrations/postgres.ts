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
        status text NOT NULL,
        doc jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        v integer NOT NULL DEFAULT 0
      );
      CREATE INDEX persons_client ON persons(client_id, created_at);
      CREATE INDEX persons_client_name ON persons(client_id, name);
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
];
