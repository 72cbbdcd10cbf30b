import type { VectorEntry } from './vector-index.js';

// Face templates and collection membership. Templates are sealed by the adapter before they touch the database
// and opened only when read back; callers only ever see plain Float32Arrays in memory.

export interface NewTemplate {
  personId: string;
  clientId: string;
  modelId: string;
  template: Float32Array;
  /** The recogniser's embedding length (FaceSample.templateNorm), when the engine gave one. */
  norm?: number | undefined;
  thumbnail: Buffer | null;
}

export interface TemplateRecord {
  id: bigint;
  personId: string;
  modelId: string;
  dimension: number;
  template: Float32Array;
  /** Absent for templates enrolled before lengths were kept. */
  norm?: number;
}

export interface Thumbnail {
  id: string;
  thumbnail: string;
}

export interface Membership {
  personId: string;
  collectionId: string;
}

export interface FaceDataRepository {
  addTemplates(templates: readonly NewTemplate[]): Promise<bigint[]>;
  templatesOf(clientId: string, personIds: readonly string[]): Promise<TemplateRecord[]>;
  thumbnailsOf(clientId: string, personIds: readonly string[]): Promise<Map<string, Thumbnail[]>>;
  templateIdsOf(clientId: string, personId: string): Promise<bigint[]>;
  /**
   * Adds the person to the collection. Returns the id of the person already holding the same identity key there
   * (name + date of birth) instead of adding, or null when added (or already a member).
   */
  addMembership(
    clientId: string,
    personId: string,
    collectionId: string,
    identityKey: string | null,
  ): Promise<string | null>;
  removeMembership(clientId: string, personId: string, collectionId: string): Promise<boolean>;
  updateIdentityKey(clientId: string, personId: string, identityKey: string | null): Promise<void>;
  collectionsOf(clientId: string, personIds: readonly string[]): Promise<Membership[]>;
  /** Every person in the collection. */
  membersOf(clientId: string, collectionId: string): Promise<string[]>;
  /** The member of the collection holding this identity key, if any. */
  findByIdentity(collectionId: string, identityKey: string): Promise<string | undefined>;
  /** Every collection id that has members: the vector index is loaded per collection. */
  collectionsWithMembers(): Promise<string[]>;
  /** Templates by id, across tenants, as index entries (to replay another process's enrolment). */
  entriesByIds(ids: readonly bigint[]): Promise<VectorEntry[]>;
  /** Templates of every member of the collection, for (re)building an index. */
  entries(collectionId: string): AsyncIterable<VectorEntry>;
  /** Changes whenever the collection's membership or templates change: tells a saved index it is stale. */
  fingerprint(collectionId: string): Promise<string>;
}
