import type { ReactNode } from 'react';

export function StatusMessage({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <output className="status" data-testid="status-message">
      {children}
    </output>
  );
}
