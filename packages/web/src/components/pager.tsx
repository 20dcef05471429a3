interface PagerProps {
  start: number;
  num: number;
  total: number;
  nextStart: number;
  onPage(start: number): void;
}

/** Previous / Next buttons for 1-based `start` paging (`nextStart` is -1 on the last page). */
export function Pager({ start, num, total, nextStart, onPage }: PagerProps) {
  const last = total === 0 ? 0 : Math.min(total, start + num - 1);
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={start <= 1} onClick={() => onPage(Math.max(1, start - num))}>
        Previous
      </button>
      <span data-testid="pager-range">{total === 0 ? 'No results' : `${start}–${last} of ${total}`}</span>
      <button type="button" disabled={nextStart < 1} onClick={() => onPage(nextStart)}>
        Next
      </button>
    </nav>
  );
}
