/**
 * How a route renders its errors: the Sharing API's {"error":{…}} with HTTP 200 (arcgis), the
 * administrator API's {"status":"error",…} with HTTP 200 (portaladmin), or a page for a browser
 * flow (html). Each route declares its own (route()'s `errors`).
 */
export type ErrorStyle = 'arcgis' | 'portaladmin' | 'html';

/**
 * The style of a request no route declared one for (an unknown URL, a static file): by the
 * API its path is under; elsewhere 'plain' ({"error":{code,message}} with the HTTP status).
 */
export function errorStyleByPrefix(url: string): ErrorStyle | 'plain' {
  const path = url.split('?')[0]!;
  if (/^\/(portaladmin|admin|arcgis\/admin)(\/|$)/.test(path)) return 'portaladmin';
  if (/^\/(sharing|rest|arcgis)(\/|$)/.test(path)) return 'arcgis';
  return 'plain';
}
