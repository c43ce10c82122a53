import { Amplify } from "aws-amplify";
import {
  confirmSignIn,
  confirmSignUp,
  fetchAuthSession,
  fetchMFAPreference,
  setUpTOTP,
  signIn,
  signOut,
  signUp,
  updateMFAPreference,
  verifyTOTPSetup,
} from "aws-amplify/auth";
import type { AppConfig, AuthFlow } from "../config.js";
import { type Session, sessionOf } from "./claims.js";
import { signUpAttributes } from "./sign-up.js";

/** Amplify talks to the user pool (cognito-local's endpoint on the local stack). */
export function configureAuth(config: AppConfig): void {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: config.userPoolId,
        userPoolClientId: config.userPoolClientId,
        ...(config.cognitoEndpoint ? { userPoolEndpoint: config.cognitoEndpoint } : {}),
      },
    },
  });
}

/**
 * The current access token (refreshed by Amplify when it expires), or undefined when signed
 * out: the API accepts access tokens only.
 */
export async function accessToken(): Promise<string | undefined> {
  try {
    return (await fetchAuthSession()).tokens?.accessToken?.toString();
  } catch {
    // A refresh token that is no longer accepted: the user has to sign in again.
    return undefined;
  }
}

export async function loadSession(): Promise<Session | null> {
  try {
    const tokens = (await fetchAuthSession()).tokens;
    return tokens?.idToken ? sessionOf(tokens.idToken.payload, tokens.accessToken.payload) : null;
  } catch {
    return null;
  }
}

export async function signUpUser(input: { name: string; email: string; password: string }) {
  await signUp({
    username: input.email,
    password: input.password,
    options: { userAttributes: signUpAttributes(input) },
  });
}

export async function confirmUser(email: string, code: string) {
  await confirmSignUp({ username: email, confirmationCode: code.trim() });
}

/** "totp-code": the user has an authenticator app; confirmTotpCode finishes the sign-in. */
export type SignInOutcome = "signed-in" | "confirm-sign-up" | "totp-code";

export async function signInUser(
  email: string,
  password: string,
  authFlow: AuthFlow,
): Promise<SignInOutcome> {
  const { isSignedIn, nextStep } = await signIn({
    username: email,
    password,
    options: { authFlowType: authFlow },
  });
  if (isSignedIn) return "signed-in";
  if (nextStep.signInStep === "CONFIRM_SIGN_UP") return "confirm-sign-up";
  if (nextStep.signInStep === "CONFIRM_SIGN_IN_WITH_TOTP_CODE") return "totp-code";
  throw new Error(
    `Signing in needs a step this dashboard does not offer (${nextStep.signInStep}).`,
  );
}

/** The second step of a sign-in with an authenticator app. */
export async function confirmTotpCode(code: string): Promise<void> {
  const { isSignedIn, nextStep } = await confirmSignIn({ challengeResponse: code.trim() });
  if (!isSignedIn) {
    throw new Error(
      `Signing in needs a step this dashboard does not offer (${nextStep.signInStep}).`,
    );
  }
}

/** Whether the signed-in user has an authenticator app turned on. */
export async function totpEnabled(): Promise<boolean> {
  return (await fetchMFAPreference()).enabled?.includes("TOTP") ?? false;
}

/** Starts adding an authenticator app: the key to type in, and the otpauth:// link. */
export async function startTotpSetup(account: string) {
  const details = await setUpTOTP();
  return { secret: details.sharedSecret, uri: details.getSetupUri("Localstays", account).href };
}

/** Checks a first code from the app and turns TOTP on for every later sign-in. */
export async function finishTotpSetup(code: string): Promise<void> {
  await verifyTOTPSetup({ code: code.trim() });
  await updateMFAPreference({ totp: "PREFERRED" });
}

export const signOutUser = () => signOut();
