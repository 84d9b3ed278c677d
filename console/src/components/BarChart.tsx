import { formatNumber } from "../lib/format.ts";

export interface Bar {
  key: string;
  label: string;
  value: number;
}

/** Horizontal bars, longest first: for items, screens and gates. */
export function HBarChart({ bars, title, max = 15 }: { bars: Bar[]; title: string; max?: number }) {
  const shown = bars.slice(0, max);
  const top = Math.max(1, ...shown.map((b) => b.value));
  const row = 26;
  const labelW = 300;
  const width = 760;
  const barW = width - labelW - 70;
  const height = shown.length * row + 8;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label={title}
      data-testid="plays-chart"
      preserveAspectRatio="xMinYMin meet"
    >
      <title>{title}</title>
      {shown.map((b, i) => {
        const y = 4 + i * row;
        const w = Math.max(2, (b.value / top) * barW);
        return (
          <g key={b.key}>
            <text x={labelW - 8} y={y + row / 2 + 4} text-anchor="end" class="chart-label">
              {b.label.length > 42 ? `${b.label.slice(0, 41)}…` : b.label}
            </text>
            <rect x={labelW} y={y + 4} width={w} height={row - 8} rx="3" class="chart-bar" />
            <text x={labelW + w + 6} y={y + row / 2 + 4} class="chart-value">
              {formatNumber(b.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Vertical columns in time order: for days. */
export function ColumnChart({ bars, title }: { bars: Bar[]; title: string }) {
  const top = Math.max(1, ...bars.map((b) => b.value));
  const width = 760;
  const height = 220;
  const base = height - 28;
  const step = bars.length ? (width - 40) / bars.length : 0;
  const colW = Math.max(2, Math.min(40, step * 0.7));
  const labelEvery = Math.ceil(bars.length / 16);
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label={title}
      data-testid="plays-chart"
    >
      <title>{title}</title>
      <line x1="30" x2={width} y1={base} y2={base} class="chart-axis" />
      {bars.map((b, i) => {
        const h = (b.value / top) * (base - 20);
        const x = 36 + i * step + (step - colW) / 2;
        return (
          <g key={b.key}>
            <rect x={x} y={base - h} width={colW} height={Math.max(0, h)} rx="2" class="chart-bar">
              <title>{`${b.label}: ${formatNumber(b.value)}`}</title>
            </rect>
            {b.value > 0 && bars.length <= 31 ? (
              <text x={x + colW / 2} y={base - h - 4} text-anchor="middle" class="chart-value">
                {formatNumber(b.value)}
              </text>
            ) : null}
            {i % labelEvery === 0 ? (
              <text x={x + colW / 2} y={base + 16} text-anchor="middle" class="chart-label">
                {b.label}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
