// A Sokoban room (gym-sokoban room_state codes) as SVG, in the tiny_rgb_array colours with
// shapes on top so boxes, targets and the player read at a glance.
import type React from 'react'

export const SOKOBAN_TILES = [
  { code: 0, name: 'wall', color: 'rgb(0,0,0)' },
  { code: 1, name: 'floor', color: 'rgb(243,248,238)' },
  { code: 2, name: 'target', color: 'rgb(254,126,125)' },
  { code: 3, name: 'box on target', color: 'rgb(254,95,56)' },
  { code: 4, name: 'box', color: 'rgb(142,121,56)' },
  { code: 5, name: 'player', color: 'rgb(160,212,56)' },
  { code: 6, name: 'player on target', color: 'rgb(219,212,56)' }
] as const

const CELL = 10

function Tile({ code, x, y }: { code: number; x: number; y: number }): React.JSX.Element {
  const tile = SOKOBAN_TILES[code] ?? { code, name: `unknown ${code}`, color: '#f0f' }
  const cx = x + CELL / 2
  const cy = y + CELL / 2
  return (
    <g data-code={code}>
      <title>{tile.name}</title>
      <rect
        x={x}
        y={y}
        width={CELL}
        height={CELL}
        fill={tile.color}
        stroke="rgba(0,0,0,0.12)"
        strokeWidth={0.2}
      />
      {code === 2 || code === 6 ? (
        <circle
          cx={cx}
          cy={cy}
          r={3.6}
          fill="none"
          stroke="#b42318"
          strokeWidth={0.6}
          strokeDasharray="1.2 0.8"
        />
      ) : null}
      {code === 3 || code === 4 ? (
        <g>
          <rect
            x={x + 1.6}
            y={y + 1.6}
            width={CELL - 3.2}
            height={CELL - 3.2}
            rx={0.6}
            fill={code === 3 ? '#c2410c' : '#7a5c1e'}
            stroke="#3b2a08"
            strokeWidth={0.5}
          />
          <path
            d={`M${x + 2.2} ${y + 2.2}L${x + CELL - 2.2} ${y + CELL - 2.2}M${x + CELL - 2.2} ${y + 2.2}L${x + 2.2} ${y + CELL - 2.2}`}
            stroke="#3b2a08"
            strokeWidth={0.4}
            opacity={0.6}
          />
          {code === 3 ? (
            <text x={cx} y={cy + 1.3} textAnchor="middle" fontSize={4} fontWeight={700} fill="#fff">
              ✓
            </text>
          ) : null}
        </g>
      ) : null}
      {code === 5 || code === 6 ? (
        <g>
          <circle cx={cx} cy={cy} r={3} fill="#3f6212" stroke="#1a2e05" strokeWidth={0.4} />
          <text x={cx} y={cy + 1.3} textAnchor="middle" fontSize={3.6} fontWeight={700} fill="#fff">
            P
          </text>
        </g>
      ) : null}
    </g>
  )
}

export function SokobanGrid({ room }: { room: number[][] }): React.JSX.Element {
  const rows = room.length
  const cols = Math.max(0, ...room.map((r) => r.length))
  return (
    <svg
      className="sokoban"
      data-testid="sokoban-grid"
      data-room={room.map((r) => r.join('')).join('/')}
      viewBox={`0 0 ${cols * CELL} ${rows * CELL}`}
      role="img"
      aria-label={`Sokoban room ${rows}×${cols}`}
    >
      {room.map((row, y) =>
        row.map((code, x) => <Tile key={`${y}-${x}`} code={code} x={x * CELL} y={y * CELL} />)
      )}
    </svg>
  )
}

export function SokobanLegend(): React.JSX.Element {
  return (
    <ul className="legend">
      {SOKOBAN_TILES.map((t) => (
        <li key={t.code}>
          <svg viewBox={`0 0 ${CELL} ${CELL}`} className="legend-swatch" aria-hidden="true">
            <Tile code={t.code} x={0} y={0} />
          </svg>
          {t.name}
        </li>
      ))}
    </ul>
  )
}
