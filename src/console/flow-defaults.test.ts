import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeLimits } from '../domain/code-validation.js';
import { flowLimits } from '../domain/project-flow.js';
import { projectFlowCreateSchema } from '../schemas/project-flow.schema.js';
import { flowDefaults } from './ui/flow-defaults.js';

// The console writes a flow's defaults and ranges next to each setting; these are the server's own.

test('the console states the flow limits and defaults the server applies', () => {
  assert.deepEqual(flowDefaults.livenessMinScore, flowLimits.livenessMinScore);
  assert.deepEqual(flowDefaults.searchMinScore, flowLimits.searchMinScore);
  assert.deepEqual(flowDefaults.sessionMinutes, flowLimits.sessionMinutes);
  assert.deepEqual(flowDefaults.maxAttempts, flowLimits.maxAttempts);
  assert.deepEqual(flowDefaults.codeMinutes, {
    min: codeLimits.minMinutes,
    max: codeLimits.maxMinutes,
    default: codeLimits.defaultMinutes,
  });
  const created = projectFlowCreateSchema.parse({ project: '0123456789abcdef01234567', type: 'login' });
  assert.equal(created.loginSettings.livenessMode, flowDefaults.livenessMode);
  assert.equal(created.loginSettings.searchMode, flowDefaults.searchMode);
  assert.equal(created.status, flowDefaults.status);
});
