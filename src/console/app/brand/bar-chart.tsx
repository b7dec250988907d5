export interface BarDatum {
  label: string;
  /** Drawn as the bar's full length. */
  value: number;
  /** Drawn over it in the alert colour (e.g. codes checked repeatedly). */
  highlight?: number;
}

const ROW = 28;
const LABEL_WIDTH = 160;
const CHART_WIDTH = 560;

/**
 * Horizontal bars in plain SVG. The picture is decorative for screen readers
 * (a titled figure); the same numbers are in the table the page shows beside it.
 */
export function BarChart({
  title,
  data,
  valueName,
  highlightName,
}: {
  title: string;
  data: BarDatum[];
  valueName: string;
  highlightName: string;
}) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const barSpace = CHART_WIDTH - LABEL_WIDTH - 60;
  const height = data.length * ROW + 48;
  return (
    <figure className="chart">
      <svg role="img" aria-label={`${title}: the table below has the same numbers.`} viewBox={`0 0 ${CHART_WIDTH} ${height}`} width="100%">
        {data.map((d, i) => {
          const y = i * ROW + 4;
          const width = (d.value / max) * barSpace;
          const highlight = ((d.highlight ?? 0) / max) * barSpace;
          return (
            <g key={d.label}>
              <text x={LABEL_WIDTH - 8} y={y + 15} textAnchor="end" className="chart-label">
                {d.label.length > 22 ? `${d.label.slice(0, 21)}…` : d.label}
              </text>
              <rect x={LABEL_WIDTH} y={y} width={Math.max(width, 1)} height={ROW - 10} className="chart-bar" />
              {highlight > 0 && <rect x={LABEL_WIDTH} y={y} width={highlight} height={ROW - 10} className="chart-bar-alert" />}
              <text x={LABEL_WIDTH + Math.max(width, 1) + 6} y={y + 15} className="chart-value">
                {d.value}
                {d.highlight ? ` (${d.highlight})` : ''}
              </text>
            </g>
          );
        })}
        <g transform={`translate(${LABEL_WIDTH}, ${data.length * ROW + 12})`}>
          <rect width="12" height="12" className="chart-bar" />
          <text x="18" y="11" className="chart-label">
            {valueName}
          </text>
          <rect y="18" width="12" height="12" className="chart-bar-alert" />
          <text x="18" y="29" className="chart-label">
            {highlightName}
          </text>
        </g>
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
