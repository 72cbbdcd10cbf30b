import type { AppLogin } from '../domain/app-login.js';
import {
  type BiometricValidation,
  type FaceResult,
  type KeyValue,
  type LivenessSession,
  toKeyValues,
} from '../domain/biometric-validation.js';
import { emptyListQuery } from '../domain/list-query.js';
import { loginStepsOf } from '../domain/login-steps.js';
import { type FlowType, livenessMinScoreOf, type ProjectFlow } from '../domain/project-flow.js';
import { livenessVerdict, roundScore } from '../domain/scores.js';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { FaceSample } from '../ports/face-engine.js';
import type { Store } from '../ports/store.js';
import { bodyOf } from './documents.js';
import type { BurstSample } from './frame-burst.js';
import type { PersonService } from './person.service.js';
import type { SearchService } from './search.service.js';
import type { TokenService } from './token.service.js';
import { emitValidationEvent } from './validation-webhooks.js';

// What a live face does to a validation: a login finds the person in the collection, an onboarding enrols a new
// one; either way the validation is validated, with an app login and its token, in one transaction.

const APP_LOGIN_TOKEN_MS = 15 * 60_000;

/**
 * A login needs the person's authenticator code after the face when its flow's `loginSettings.steps` name
 * `authenticator` (every login of the flow, so also one that followed a code), or the validation was created with
 * `requires2FA: true` and is not itself the second factor of an app login (`/biometric-validations/app-login`).
 */
export const needsSecondFactor = (v: BiometricValidation, flow: ProjectFlow): boolean =>
  v.type === 'login' && (loginStepsOf(flow.loginSettings).authenticator || (v.requires2FA && !v.parentAppLogin));

export function createValidationOutcomes(deps: {
  store: Store;
  tokens: TokenService;
  clock: Clock;
  search: SearchService;
  persons: PersonService;
}) {
  const { store, tokens, clock } = deps;

  /** Persons of the collection enrolled under this identifier. */
  const enrolledUnder = async (v: BiometricValidation): Promise<string[]> => {
    const persons = await store.persons.list(
      v.client,
      emptyListQuery({ where: { identifier: v.identifier }, sort: [{ field: 'createdAt', desc: false }], perPage: 50 }),
    );
    const ids = persons.items.map((p) => p._id);
    const members = await store.faceData.collectionsOf(v.client, ids);
    return ids.filter((id) => members.some((m) => m.personId === id && m.collectionId === v.assignedCollection));
  };

  const collectionOf = async (v: BiometricValidation) => {
    const c = await store.collections.findById(v.client, v.assignedCollection);
    if (!c) throw new AppError('collectionNotSet');
    return c;
  };

  const livenessEntries = (sample: FaceSample, flow: ProjectFlow, type: FlowType) =>
    toKeyValues({ ...livenessVerdict(sample.liveness ?? 0, livenessMinScoreOf(flow, type)) });
  const scoresOf = (sample: FaceSample, flow: ProjectFlow, type: FlowType) => ({
    livenessScore: roundScore(sample.liveness ?? 0),
    livenessResult: livenessEntries(sample, flow, type),
  });

  interface Found {
    personId: string;
    personName: string;
    face: string | null;
    comparison: Record<string, string | number | boolean | null>;
  }

  /**
   * A login face that passed, in a validation that needs a second factor: nothing is granted yet; the validation
   * keeps what the face found and waits (still `pending`) for the authenticator code.
   */
  const holdForSecondFactor = async (v: BiometricValidation, flow: ProjectFlow, sample: FaceSample, result: Found) => {
    const faceResult: FaceResult = {
      person: result.personId,
      personName: result.personName,
      face: result.face,
      livenessScore: roundScore(sample.liveness ?? 0),
      livenessResult: livenessEntries(sample, flow, v.type),
      comparison: result.comparison,
      codeAttempts: 0,
    };
    const held = await store.biometricValidations.update(
      v.client,
      v._id,
      {
        ...bodyOf(v),
        status: 'pending',
        livenessScore: faceResult.livenessScore,
        failureReason: null,
        processingUntil: null,
        faceResult,
      },
      v.__v,
    );
    if (!held) throw new AppError('validationInProgress');
    return { secondFactor: true as const, biometricValidation: held };
  };

  const succeed = async (
    v: BiometricValidation,
    session: LivenessSession,
    flow: ProjectFlow,
    scores: { livenessScore: number; livenessResult: KeyValue[] },
    result: Found,
    events: string[],
  ) => {
    const now = clock.now().toISOString();
    const livenessScore = scores.livenessScore;
    // A face that followed a code: the login records both factors.
    const parent = v.parentAppLogin ? await store.appLogins.findById(v.client, v.parentAppLogin) : undefined;
    const out = await store.transaction(async (tx) => {
      const appLogin = await tx.appLogins.insert({
        client: v.client,
        project: v.project,
        projectFlow: v.projectFlow,
        status: 'validated',
        type: 'faceLiveness',
        biometricValidation: v._id,
        livenessSession: session._id,
        face: result.face,
        name: result.personName,
        person: result.personId,
        identifier: v.identifier,
        emailValidation: parent?.emailValidation ?? null,
        phoneValidation: parent?.phoneValidation ?? null,
        accessControlLog: null,
        exchangedAt: null,
      } satisfies Omit<AppLogin, '_id' | 'createdAt' | 'updatedAt' | '__v'>);
      const validated = await tx.biometricValidations.update(
        v.client,
        v._id,
        {
          ...bodyOf(v),
          status: 'validated',
          livenessScore,
          person: result.personId,
          appLogin: appLogin._id,
          failureReason: null,
          completedAt: now,
          processingUntil: null,
        },
        v.__v,
      );
      // Another request changed the validation meanwhile (it expired, or was deleted): nothing is granted.
      if (!validated) throw new AppError('validationInProgress');
      const s = await tx.livenessSessions.findById(v.client, session._id);
      const completed =
        s &&
        (await tx.livenessSessions.update(
          v.client,
          s._id,
          {
            ...bodyOf(s),
            status: 'completed',
            livenessResult: scores.livenessResult,
            comparisonResult: toKeyValues(result.comparison),
          },
          s.__v,
        ));
      for (const e of events) await emitValidationEvent(tx, validated, flow, e);
      return { appLogin, validation: validated, session: completed ?? s ?? null };
    });
    const token = await tokens.sign(
      { typ: 'appLogin', client: v.client, sub: out.appLogin._id, project: v.project },
      new Date(clock.now().getTime() + APP_LOGIN_TOKEN_MS),
    );
    return {
      secondFactor: false as const,
      appLogin: out.appLogin,
      livenessSession: out.session,
      biometricValidation: out.validation,
      person: result.personId,
      token,
    };
  };

  return {
    /** The best match at the flow's threshold logs in; an identifier of someone enrolled admits only them. */
    async login(v: BiometricValidation, session: LivenessSession, flow: ProjectFlow, sample: FaceSample) {
      const collection = await collectionOf(v);
      const minScore = flow.loginSettings.searchMinScore;
      const [hit] = await deps.search.run(v.client, {
        probes: [sample],
        collections: [collection],
        minScore,
        mode: flow.loginSettings.searchMode,
        maxResults: 1,
      });
      const expected = await enrolledUnder(v);
      // After a code that named its person (README "Person matching"), the face must be that person's.
      const parent = v.parentAppLogin ? await store.appLogins.findById(v.client, v.parentAppLogin) : undefined;
      if (parent?.person) expected.splice(0, expected.length, parent.person);
      if (!hit || (expected.length > 0 && !expected.includes(hit.person._id))) {
        // No score in the answer: the caller may be an attacker, and a score is a gradient to climb.
        throw new AppError('personNotFound');
      }
      const found: Found = {
        personId: hit.person._id,
        personName: hit.person.name,
        face: hit.person.thumbnails[0]?.id ?? null,
        comparison: { score: hit.score, min_score: minScore, passed: true, person: hit.person._id },
      };
      if (needsSecondFactor(v, flow)) return holdForSecondFactor(v, flow, sample, found);
      return succeed(v, session, flow, scoresOf(sample, flow, v.type), found, ['biometric_validation_validated']);
    },

    /** The second factor passed: the login the face found is granted now. */
    async grantHeld(v: BiometricValidation, session: LivenessSession, flow: ProjectFlow, held: FaceResult) {
      return succeed(
        v,
        session,
        flow,
        { livenessScore: held.livenessScore, livenessResult: held.livenessResult },
        { personId: held.person, personName: held.personName, face: held.face, comparison: held.comparison },
        ['biometric_validation_validated'],
      );
    },

    /**
     * A new face under a new identifier is enrolled, with a burst's other good frames as further templates (one
     * thumbnail, the chosen frame's); a known face or identifier is refused. The duplicate check searches the
     * chosen frame alone, as a login would.
     */
    async onboard(v: BiometricValidation, session: LivenessSession, flow: ProjectFlow, sample: BurstSample) {
      const collection = await collectionOf(v);
      const settings = flow.onboardingSettings.liveness;
      if ((await enrolledUnder(v)).length > 0) throw new AppError('personAlreadySet');
      const [dupe] = await deps.search.run(v.client, {
        probes: [sample],
        collections: [collection],
        minScore: settings.searchMinScore,
        mode: settings.searchMode,
        maxResults: 1,
      });
      if (dupe) throw new AppError('duplicatedPerson');
      const person = await deps.persons.enrol(
        v.client,
        { name: v.identifier, identifier: v.identifier, collections: [collection._id] },
        [sample, ...(sample.alsoEnrol ?? []).map(({ thumbnail: _shown, ...frame }) => frame)],
        // The person enrolled themselves on the hosted page: the audit log names the onboarding and their address.
        { actor: { type: 'system', id: null, name: 'onboarding' }, ip: v.ipAddress, userAgent: null },
      );
      return succeed(
        v,
        session,
        flow,
        scoresOf(sample, flow, v.type),
        {
          personId: person._id,
          personName: person.name,
          face: person.thumbnails[0]?.id ?? null,
          comparison: { score: 0, min_score: settings.searchMinScore, passed: true, person: person._id },
        },
        ['biometric_validation_created_person', 'biometric_validation_validated'],
      );
    },
  };
}

export type ValidationOutcomes = ReturnType<typeof createValidationOutcomes>;
