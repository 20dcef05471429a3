/**
 * The contract between the GeoServices query parameters (features/query/) and the feature
 * stores (features/store/): a layer's definition, a parsed and validated query plan, and
 * what a store answers. Nothing here reaches SQL as text: a plan holds field names that were
 * checked against the layer and values that travel as bound parameters.
 */

/** The GeoServices field types a published layer can hold. */
export type FieldType =
  | 'esriFieldTypeOID'
  | 'esriFieldTypeString'
  | 'esriFieldTypeInteger'
  | 'esriFieldTypeDouble'
  | 'esriFieldTypeDate'
  | 'esriFieldTypeSmallInteger';

export interface FieldDef {
  /** As the layer's JSON names it; unique case-insensitively within a layer. */
  name: string;
  type: FieldType;
  alias: string;
  /** For strings: the longest value seen at publish (at least 1). */
  length?: number;
  nullable: boolean;
}

export type GeometryType =
  | 'esriGeometryPoint'
  | 'esriGeometryMultipoint'
  | 'esriGeometryPolyline'
  | 'esriGeometryPolygon';

/** An envelope in some spatial reference. */
export interface Envelope {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/** A layer (or table: geometryType null) of a feature service, as stored. */
export interface LayerDef {
  /** The layer's id within its service (0, 1, …). */
  id: number;
  name: string;
  /** null: a table. */
  geometryType: GeometryType | null;
  /** The layer's own spatial reference (4326 for GeoJSON input). */
  wkid: number;
  objectIdField: string;
  /** Every field, the OID field first. */
  fields: FieldDef[];
  /** Of every feature, in the layer's spatial reference; null when it has none. */
  extent: Envelope | null;
  featureCount: number;
}

/**
 * A geometry in GeoServices JSON shape (x/y, points, paths, rings), in some spatial reference;
 * the store receives it already projected to the layer's.
 */
export type EsriGeometry =
  | { x: number; y: number }
  | { points: number[][] }
  | { paths: number[][][] }
  | { rings: number[][][] };

/** A value in a where clause: always bound as a parameter, never spliced. */
export type Literal = string | number | null;

export type Operand =
  | { field: string }
  | { value: Literal }
  | { fn: 'UPPER' | 'LOWER'; arg: Operand }
  /** A date/timestamp literal (DATE 'yyyy-mm-dd', TIMESTAMP '…'): epoch ms. */
  | { date: number };

/**
 * A where clause as a tree; field names are the layer's own spelling (resolved case-insensitively).
 * features/query type-checks it: a string field is only compared with strings (or UPPER/LOWER of
 * one), a numeric field with numbers, a date field with `{date}` in `cmp` and with epoch-ms numbers
 * in the values of `in` and `between`. A `cmp` may have its literal on either side, or compare two
 * fields of one kind. `like` only has a string field or UPPER/LOWER on its left.
 * Predicates over literals alone arrive folded to true/false (`1=1` is `{kind:'true'}`).
 */
export type Expr =
  | { kind: 'true' }
  | { kind: 'false' }
  | { kind: 'and'; items: Expr[] }
  | { kind: 'or'; items: Expr[] }
  | { kind: 'not'; expr: Expr }
  | { kind: 'cmp'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; left: Operand; right: Operand }
  | { kind: 'like'; left: Operand; pattern: string; escape?: string; negate: boolean }
  | { kind: 'in'; left: Operand; values: Literal[]; negate: boolean }
  | { kind: 'between'; left: Operand; low: Literal; high: Literal; negate: boolean }
  | { kind: 'isnull'; left: Operand; negate: boolean };

export type StatisticType = 'count' | 'sum' | 'min' | 'max' | 'avg' | 'stddev' | 'var';

export interface Statistic {
  type: StatisticType;
  /** The field it is over ('*' only for count). */
  field: string;
  outName: string;
}

/** The spatial filter, in the layer's spatial reference. */
export interface SpatialFilter {
  /** The geometry's envelope: every store filters by its index with this first. */
  envelope: Envelope;
  /** envelope-intersects: the envelope test alone; intersects: the exact test as well. */
  rel: 'envelope-intersects' | 'intersects';
  geometry: EsriGeometry;
}

export type QueryMode = 'features' | 'ids' | 'count' | 'extent' | 'stats';

/** A query, parsed and checked against one layer: what a store executes. */
export interface QueryPlan {
  mode: QueryMode;
  where: Expr;
  /** Only these object ids (at most a few thousand, de-duplicated). */
  objectIds?: number[];
  spatial?: SpatialFilter;
  /** Fields to return (layer spelling); the OID field is always among them. */
  outFields: string[];
  returnGeometry: boolean;
  /**
   * Always ends with the OID field, so that pages are stable. In mode 'stats' the keys are
   * group-by fields or statistics' outNames instead, ending with every group-by field (empty
   * without groupBy), and the OID is not among them.
   */
  orderBy: { field: string; dir: 'ASC' | 'DESC' }[];
  /** For features/ids/stats: rows to skip. */
  offset: number;
  /**
   * For features and stats: the most rows to return, already capped at the layer's
   * maxRecordCount. The store fetches limit + 1 to know whether results were cut.
   * For ids: no cap (undefined).
   */
  limit?: number;
  /** mode 'stats'. */
  statistics?: Statistic[];
  groupBy?: string[];
}

/** One feature as a store returns it: attributes by field name, geometry in the layer's SR. */
export interface StoredFeature {
  attributes: Record<string, Literal>;
  geometry: EsriGeometry | null;
}

export type QueryResult =
  | { mode: 'features'; features: StoredFeature[]; exceededTransferLimit: boolean }
  | { mode: 'ids'; objectIds: number[] }
  | { mode: 'count'; count: number }
  | { mode: 'extent'; count: number; extent: Envelope | null }
  | { mode: 'stats'; rows: Record<string, Literal>[]; exceededTransferLimit: boolean };

/** A layer being written at publish: features arrive in batches, then the layer is finished. */
export interface LayerWriter {
  /** Features in the layer's SR; the store assigns object ids 1, 2, … in arrival order. */
  append(features: { attributes: Record<string, Literal>; geometry: EsriGeometry | null }[]): Promise<void>;
  /** Computes the extent and count, makes the layer visible to queries; answers its definition. */
  finish(): Promise<LayerDef>;
  /** Drops what was written (a failed publish leaves nothing behind). */
  abort(): Promise<void>;
}

/** Where a server keeps its features: SQLite with its R*Tree (embedded) or PostGIS. */
export interface FeatureStore {
  readonly kind: 'sqlite' | 'postgis';
  /** Starts writing a new layer of a service (serviceKey: a stable id chosen by the caller). */
  createLayer(
    serviceKey: string,
    def: Omit<LayerDef, 'extent' | 'featureCount' | 'objectIdField'> & { objectIdField?: string },
  ): Promise<LayerWriter>;
  /** The layers of a service as stored, by id. */
  layers(serviceKey: string): Promise<LayerDef[]>;
  query(serviceKey: string, layerId: number, plan: QueryPlan): Promise<QueryResult>;
  /** Removes every layer of a service (idempotent). */
  dropService(serviceKey: string): Promise<void>;
  close(): Promise<void>;
}
