import type { BadgeLook } from '../lib/run-format.ts';

interface StatusBadgeProps {
  /** The looks of the known values; an unknown value is shown as it is. */
  looks: Readonly<Record<string, BadgeLook>>;
  value: string;
  testId?: string;
}

/** A status or outcome in words and in colour. */
export function StatusBadge({ looks, value, testId }: StatusBadgeProps) {
  const look = looks[value] ?? { label: value, kind: 'info' };
  return (
    <span className={`badge badge-${look.kind}`} data-testid={testId}>
      {look.label}
    </span>
  );
}
