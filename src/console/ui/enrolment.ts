import { ApiError, errorText, ok } from './api.js';
import { readAsDataUrl } from './dom.js';
import type { Person } from './models.js';
import type { ScreenContext } from './screen.js';

// Enrolling one person from picked photos, with an answer for every photo. The API checks all of a person's photos
// and refuses the request at the first that fails a quality gate, naming it (`images[1]: face_too_blurred`); so a
// refused photo is set aside with its reason and the rest are sent again, until the person is enrolled with the
// photos that pass or none is left.

export type PhotoAnswer =
  | { file: File; accepted: true }
  | { file: File; accepted: false; reason: string; code: string };

export interface EnrolResult {
  person: Person | null;
  answers: PhotoAnswer[];
  /** Set when the person was refused for a reason no single photo explains (a duplicate, a bad name). */
  error?: string;
}

export const MAX_PHOTOS = 3;

export async function enrolWithAnswers(
  ctx: ScreenContext,
  input: { name: string; collection: string; files: File[] },
  signal?: AbortSignal,
): Promise<EnrolResult> {
  const files = input.files.slice(0, MAX_PHOTOS);
  const images = await Promise.all(files.map((f) => readAsDataUrl(f)));
  const refused = new Map<number, { reason: string; code: string }>();
  let remaining = files.map((_, i) => i);
  while (remaining.length > 0) {
    if (signal?.aborted) break;
    try {
      const created = await ok(
        ctx.api.POST('/v2/face-recognition/persons', {
          body: {
            name: input.name,
            images: remaining.map((i) => images[i] as string),
            collections: [input.collection],
          },
          ...(signal ? { signal } : {}),
        }),
      );
      const answers = files.map((file, i): PhotoAnswer => {
        const r = refused.get(i);
        return r ? { file, accepted: false, ...r } : { file, accepted: true };
      });
      return { person: created.data, answers };
    } catch (err) {
      const which = err instanceof ApiError ? /^images\[(\d+)\]/.exec(err.message) : null;
      const photoFault = which ? remaining[Number(which[1])] : undefined;
      if (err instanceof ApiError && photoFault !== undefined) {
        refused.set(photoFault, { reason: errorText(err, ctx.lang), code: err.code });
        remaining = remaining.filter((i) => i !== photoFault);
        continue;
      }
      // One photo and a face error: the photo is the reason, even when the message does not number it.
      if (err instanceof ApiError && remaining.length === 1 && err.status === 412) {
        refused.set(remaining[0] as number, { reason: errorText(err, ctx.lang), code: err.code });
        remaining = [];
        break;
      }
      return {
        person: null,
        answers: files.map((file, i): PhotoAnswer => {
          const r = refused.get(i);
          return r ? { file, accepted: false, ...r } : { file, accepted: false, reason: '—', code: '' };
        }),
        error: errorText(err, ctx.lang),
      };
    }
  }
  return {
    person: null,
    answers: files.map((file, i): PhotoAnswer => {
      const r = refused.get(i) ?? { reason: '—', code: '' };
      return { file, accepted: false, ...r };
    }),
  };
}
