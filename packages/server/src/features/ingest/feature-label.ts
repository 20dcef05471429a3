/**
 * How an error names a GeoJSON feature: counted from 1 as a person counts, with its index in
 * the `features` array for tools that count from 0 (`jq '.features[3]'`).
 */
export function featureLabel(index: number): string {
  return `Feature ${index + 1} (features[${index}])`;
}
