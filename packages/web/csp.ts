/**
 * The dashboard's Content-Security-Policy: scripts, styles and fonts from its own origin only,
 * images also from the photo CDN, and connections only to the API, Cognito and the photo
 * bucket's upload endpoint. One definition for CloudFront in AWS (stacks/Web.ts) and for the
 * local stack's preview of the production build (vite.config.ts), which the browser journey
 * runs against: a policy that broke the app would fail that test, not a deployment.
 */
export interface CspOrigins {
  /** Origins the app calls with fetch/XHR: the API, the user pool, the upload endpoint. */
  connect: readonly string[];
  /** Origins photos are shown from. */
  images: readonly string[];
}

export function contentSecurityPolicy({ connect, images }: CspOrigins): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "font-src 'self'",
    // data: for the empty favicon in index.html.
    `img-src 'self' data: ${images.join(" ")}`,
    `connect-src 'self' ${connect.join(" ")}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
