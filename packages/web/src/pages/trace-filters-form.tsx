import { type FormEvent, useId, useState } from 'react';
import { TRACE_OUTCOMES, type TraceOutcome } from '../api/traces.ts';
import { Field } from '../components/field.tsx';
import { TRACE_OUTCOME_LOOK } from '../lib/run-format.ts';

export interface TraceFilterState {
  pipeline: string;
  outcome: TraceOutcome | '';
}

interface TraceFiltersFormProps {
  initial: TraceFilterState;
  /** Pipelines to suggest (those of the traces on screen). */
  pipelines: readonly string[];
  onApply(state: TraceFilterState): void;
}

/** Pipeline and outcome filters of the trace list. */
export function TraceFiltersForm({ initial, pipelines, onApply }: TraceFiltersFormProps) {
  const [state, setState] = useState(initial);
  const listId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply({ ...state, pipeline: state.pipeline.trim() });
  }

  return (
    <form className="filters" onSubmit={submit} aria-label="Trace filters">
      <Field label="Pipeline">
        {(id) => (
          <>
            <input
              id={id}
              list={listId}
              placeholder="tls.diagnose"
              value={state.pipeline}
              onChange={(e) => setState((s) => ({ ...s, pipeline: e.target.value }))}
            />
            <datalist id={listId}>
              {pipelines.map((p) => (
                <option key={p} value={p} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <Field label="Outcome">
        {(id) => (
          <select
            id={id}
            value={state.outcome}
            onChange={(e) =>
              setState((s) => ({ ...s, outcome: TRACE_OUTCOMES.find((o) => o === e.target.value) ?? '' }))
            }
          >
            <option value="">Any outcome</option>
            {TRACE_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {TRACE_OUTCOME_LOOK[o].label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="actions">
        <button type="submit">Apply filters</button>
      </div>
    </form>
  );
}
