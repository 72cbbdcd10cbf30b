// Every stored resource is a document in Verifik's (Mongo) shape.
export interface BaseDocument {
  _id: string;
  createdAt: string;
  updatedAt: string;
  __v: number;
}

/** What a caller supplies to create a document: the store assigns the rest. */
export type NewDocument<T extends BaseDocument> = Omit<T, '_id' | 'createdAt' | 'updatedAt' | '__v'> & {
  _id?: string;
};

/** The mutable part of a document. */
export type DocumentBody<T extends BaseDocument> = Omit<T, '_id' | 'createdAt' | 'updatedAt' | '__v'>;
