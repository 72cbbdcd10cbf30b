import type { BaseDocument } from './document.js';

export const genders = ['M', 'F'] as const;

/** A person as stored. `collections` and `thumbnails` are not stored here: they are read from membership and
 * template rows, so that they can never disagree with what search uses. */
export interface Person extends BaseDocument {
  client: string;
  name: string;
  gender: 'M' | 'F' | null;
  date_of_birth: string | null;
  nationality: string | null;
  notes: string | null;
  email: string | null;
  phone: string | null;
  /** The integrator's key for this person (a biometric validation's `identifier`), when enrolled by one. */
  identifier: string | null;
  status: 'active' | 'inactive' | 'pending';
  deleted: boolean;
}

/** Verifik's uniqueness within a collection: name and date of birth. Without a date of birth there is none. */
export function identityKey(name: string, dateOfBirth: string | null): string | null {
  if (!dateOfBirth) return null;
  return `${name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()}|${dateOfBirth}`;
}
