import { useTokenScenarios } from '../scenarios/use-token';
import { test } from './fixtures';

for (const scenario of useTokenScenarios) {
  test(scenario.name, ({ popup, sandbox }) => scenario.run({ popup, sandbox }));
}
