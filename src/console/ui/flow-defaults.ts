// A flow's limits and defaults as the console explains them. The browser cannot import the server's domain
// module, so they are restated here, and src/console/flow-defaults.test.ts fails the moment they differ.

export const flowDefaults = {
  livenessMinScore: { min: 0.51, max: 0.9, default: 0.6 },
  searchMinScore: { min: 0.7, max: 0.95, loginDefault: 0.85, onboardingDefault: 0.9 },
  sessionMinutes: { min: 1, max: 60, default: 4 },
  maxAttempts: { min: 1, max: 10, default: 3 },
  codeMinutes: { min: 1, max: 60, default: 10 },
  livenessMode: 'active',
  searchMode: 'ACCURATE',
  status: 'active',
} as const;
