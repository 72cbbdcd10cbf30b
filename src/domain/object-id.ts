import { ObjectId } from 'bson';

const HEX24 = /^[0-9a-f]{24}$/;

/** A new 24-hex ObjectId, as every Verifik document `_id` is. */
export const newObjectId = (): string => new ObjectId().toHexString();

/** Only the 24-hex form: bson's own isValid also accepts any 12-character string. */
export const isObjectId = (value: unknown): value is string => typeof value === 'string' && HEX24.test(value);
