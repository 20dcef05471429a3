/** The ArcGIS REST API version Meridian answers as (currentVersion). */
export const CURRENT_VERSION = '2024.1';
export const MERIDIAN_VERSION = '0.1.0';
