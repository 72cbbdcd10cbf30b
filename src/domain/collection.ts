import type { BaseDocument } from './document.js';

export interface Collection extends BaseDocument {
  client: string;
  name: string;
  description: string | null;
  /** A UUID: the id Verifik's face-engine calls use (`collection_id`). Either this or `_id` is accepted. */
  code: string;
  project: string | null;
  deleted: boolean;
}

export const defaultCollectionName = (projectId: string) => `default collection for project ${projectId}`;
