import { CheckFailed, type Fetch } from "./http.js";

/**
 * The dashboard as a browser first meets it: index.html, every script and stylesheet it
 * references, and (where the stage serves the production build) the Content-Security-Policy
 * that keeps the page to its own origins. A deploy that uploaded index.html but not its
 * fingerprinted assets, or lost the headers policy, fails here.
 */
export interface DashboardTarget {
  url: string;
  /** AWS stages and the local preview build send a CSP; Vite's dev server sends none. */
  csp: boolean;
}

/** Same-origin `src`/`href` of script and link tags: what the page loads before it runs. */
export function assetsOf(html: string, page: URL): URL[] {
  const found = new Map<string, URL>();
  for (const tag of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const ref = /\s(?:src|href)=["']([^"']+)["']/i.exec(tag[0])?.[1];
    if (!ref || ref.startsWith("data:")) continue;
    const url = new URL(ref, page);
    if (url.origin === page.origin) found.set(url.href, url);
  }
  return [...found.values()];
}

async function get(doFetch: Fetch, url: URL | string, timeoutMs: number): Promise<Response> {
  try {
    return await doFetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new CheckFailed(`GET ${url}: ${(error as Error).message}`);
  }
}

export async function dashboard(
  target: DashboardTarget,
  { timeoutMs, fetch: doFetch = fetch }: { timeoutMs: number; fetch?: Fetch },
) {
  const page = new URL(target.url);
  const response = await get(doFetch, page, timeoutMs);
  if (response.status !== 200) throw new CheckFailed(`GET ${page}: ${response.status}`);
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith("text/html")) throw new CheckFailed(`GET ${page}: ${type}, not HTML`);
  const csp = response.headers.get("content-security-policy");
  if (target.csp && !csp) {
    throw new CheckFailed(`GET ${page}: no Content-Security-Policy header`);
  }
  const assets = assetsOf(await response.text(), page);
  if (assets.length === 0) throw new CheckFailed(`${page} references no script or stylesheet`);
  const broken: string[] = [];
  await Promise.all(
    assets.map(async (asset) => {
      const answer = await get(doFetch, asset, timeoutMs);
      await answer.arrayBuffer();
      if (answer.status !== 200) broken.push(`${asset.pathname} ${answer.status}`);
    }),
  );
  if (broken.length) throw new CheckFailed(`assets missing: ${broken.sort().join(", ")}`);
  const policy = csp ? "CSP sent" : "no CSP (dev server)";
  return { value: true, detail: `index.html and ${assets.length} assets, ${policy}` };
}
