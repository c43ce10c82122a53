import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";

/**
 * API Gateway's JWT authorizer against cognito-local: signature from the issuer's JWKS,
 * `iss`, `exp`/`nbf`, and the audience — `aud` for ID tokens, `client_id` for access
 * tokens, as Cognito issues them. `jose` rather than aws-jwt-verify, which refuses a JWKS
 * served over http. Groups are NOT checked here: API Gateway cannot check them either, so
 * the admin rule must live in core, and a local-only check would hide a missing one.
 */
export interface JwtAuthorizerOptions {
  /** `http://127.0.0.1:<port>/<userPoolId>` */
  issuer: string;
  /** The app client ids the API accepts. */
  audience: readonly string[];
}

export interface AuthorizedCaller {
  claims: JWTPayload;
  /** The access token's `scope` claim as a list; ID tokens carry none. */
  scopes: string[] | null;
}

export class AuthorizationFailed extends Error {
  override name = "AuthorizationFailed";
  constructor(
    message: string,
    /** For the `www-authenticate` header, as API Gateway sends it. */
    readonly description: string,
  ) {
    super(message);
  }
}

/** The keys could not be fetched (cognito-local down): not the caller's fault. */
export class AuthorizerUnavailable extends Error {
  override name = "AuthorizerUnavailable";
}

export function createJwtAuthorizer(options: JwtAuthorizerOptions) {
  const jwksUrl = new URL(`${options.issuer}/.well-known/jwks.json`);
  const jwks = createRemoteJWKSet(jwksUrl);

  return async function authorize(authorization: string | undefined): Promise<AuthorizedCaller> {
    // API Gateway takes the identity source as is or with the `Bearer ` prefix.
    const token = authorization?.replace(/^Bearer\s+/i, "").trim();
    if (!token) {
      throw new AuthorizationFailed(
        "A bearer token is required (Authorization: Bearer <token>)",
        "no token",
      );
    }
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        algorithms: ["RS256"],
        requiredClaims: ["exp", "iat"],
      }));
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
        throw new AuthorizerUnavailable(
          `Cannot fetch the signing keys from ${jwksUrl}: ${(error as Error).message}`,
        );
      }
      if (error instanceof errors.JWTExpired) {
        throw new AuthorizationFailed("The token has expired", "the token has expired");
      }
      throw new AuthorizationFailed(`The token is not valid: ${error.message}`, error.code);
    }
    const audience =
      claims.token_use === "id"
        ? [claims.aud].flat()
        : claims.token_use === "access"
          ? [claims.client_id]
          : [];
    if (!audience.some((aud) => typeof aud === "string" && options.audience.includes(aud))) {
      throw new AuthorizationFailed(
        "The token was not issued to this API's app client",
        "invalid audience",
      );
    }
    const scopes =
      typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : null;
    return { claims, scopes };
  };
}

export type JwtAuthorizer = ReturnType<typeof createJwtAuthorizer>;
