import type { RegistryTestReport } from '../../../shared/types/registries.ts';
import { testSteps, testVerdict } from '../registries/registry-presenters.ts';
import { StatusBadge } from './StatusBadge.tsx';

/** A registry test as three labelled steps (reachable, login, push), announced when it arrives. */
export function RegistryTestResults({ report }: { report: RegistryTestReport }) {
  const verdict = testVerdict(report);
  return (
    <section className="registry-test" aria-label={`Test of ${report.host}`} role="status">
      <p className={`registry-test-verdict tone-${verdict.tone}`}>{verdict.text}</p>
      <dl className="registry-test-steps">
        {testSteps(report).map((step) => (
          <div key={step.key} className="registry-test-step" aria-label={`${step.label}: ${step.status}`}>
            <dt>{step.label}</dt>
            <dd>
              <StatusBadge tone={step.tone}>{step.status}</StatusBadge>
              <span className="muted small">{step.detail}</span>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
