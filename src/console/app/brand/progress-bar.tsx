/** An upload's progress, announced to screen readers through the native progress element. */
export function ProgressBar({ label, done, total }: { label: string; done: number; total: number }) {
  const percent = total > 0 ? Math.round((done / total) * 100) : 0;
  return (
    <div className="progress">
      <label>
        {label}
        <progress max={total || 1} value={done}>
          {percent}%
        </progress>
      </label>
      <span aria-hidden="true">{percent}%</span>
    </div>
  );
}
