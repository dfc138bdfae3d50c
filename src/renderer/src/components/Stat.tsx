import type { ReactNode } from 'react';

interface Props {
  label: string;
  children: ReactNode;
  /** Colours the value when it needs attention. */
  tone?: 'bad' | 'warn' | 'ok' | undefined;
  testId?: string;
}

/** One labelled figure of a site's stats block. */
export function Stat({ label, children, tone, testId }: Props) {
  return (
    <div className={`stat${tone ? ` stat--${tone}` : ''}`} data-testid={testId}>
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value">{children}</dd>
    </div>
  );
}
