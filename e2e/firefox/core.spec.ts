import { coreScenarios } from '../scenarios/core';
import { test } from './fixtures';

for (const scenario of coreScenarios) {
  test(scenario.name, ({ popup, sandbox }) => scenario.run({ popup, sandbox, oauthHost: sandbox.url }));
}
