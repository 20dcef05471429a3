/**
 * Test data for the GIS federation tests: a GeoJSON FeatureCollection of points on a regular
 * grid over a small box (deterministic, so a box query's expected answer can be counted here).
 */

export interface GridPoint {
  x: number;
  y: number;
  name: string;
  rank: number;
}

/** `n` points in rows of 100 over lon 10–11, lat 50–5x, 0.01° apart; rank cycles 0–9. */
export function gridPoints(n: number): GridPoint[] {
  const out: GridPoint[] = [];
  for (let i = 0; i < n; i++)
    out.push({
      x: Number((10 + (i % 100) * 0.01).toFixed(5)),
      y: Number((50 + Math.floor(i / 100) * 0.01).toFixed(5)),
      name: `pt-${i}`,
      rank: i % 10,
    });
  return out;
}

/** The points as a GeoJSON FeatureCollection text. */
export function pointsGeoJson(points: GridPoint[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: points.map((p) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [p.x, p.y] },
      properties: { name: p.name, rank: p.rank },
    })),
  });
}

/** The points inside [xmin, ymin, xmax, ymax] (edges included). */
export function inBox(points: GridPoint[], box: [number, number, number, number]): GridPoint[] {
  const [x0, y0, x1, y1] = box;
  return points.filter((p) => p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1);
}
