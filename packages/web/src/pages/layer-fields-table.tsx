import type { LayerJson } from '../api/feature-service.ts';

/** esriFieldTypeString → String. */
function fieldType(type: string): string {
  return type.replace(/^esriFieldType/, '');
}

/** A layer's fields: name, type and alias. */
export function LayerFieldsTable({ layer }: { layer: LayerJson }) {
  return (
    <table className="table" data-testid="layer-fields">
      <caption>Fields of {layer.name}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Alias</th>
        </tr>
      </thead>
      <tbody>
        {layer.fields.map((f) => (
          <tr key={f.name}>
            <th scope="row">{f.name}</th>
            <td>{fieldType(f.type)}</td>
            <td>{f.alias ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
